import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { CheckinResult } from '../../api/views';
import { Alert, Field, PageTitle } from '../../components/ui';
import { CheckinCart } from './CheckinCart';
import { DeskBranchPicker, useDeskBranch, useRoutingHeadline } from './desk';
import { DeskStopPicker, useDeskStop } from '../../mobile-stops';

type Mode = 'single' | 'cart';
const MODE_KEY = 'culture.checkinMode';

/** Check-in, one copy at a time or a whole cart of returns at once (the choice is remembered at this desk). */
export function CheckinPage() {
  const { t } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const [stopId, setStopId, stops] = useDeskStop(branchId);
  const [mode, setMode] = useState<Mode>(() => (localStorage.getItem(MODE_KEY) === 'cart' ? 'cart' : 'single'));
  const choose = (next: Mode) => {
    localStorage.setItem(MODE_KEY, next);
    setMode(next);
  };
  return (
    <section>
      <PageTitle>{t('nav.checkin')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
      <DeskStopPicker value={stopId} onChange={setStopId} choices={stops} />
      <div className="actions mode" role="group" aria-label={t('desk.checkinMode')}>
        {(['single', 'cart'] as const).map((m) => (
          <button key={m} type="button" aria-pressed={mode === m} className={mode === m ? 'primary' : undefined} onClick={() => choose(m)}>
            {t(m === 'single' ? 'desk.modeSingle' : 'desk.modeCart')}
          </button>
        ))}
      </div>
      {mode === 'cart' ? <CheckinCart branchId={branchId} stopId={stopId} /> : <SingleCheckin branchId={branchId} stopId={stopId} />}
    </section>
  );
}

/** One copy: the routing in large letters, so the desk sees at a glance where it goes. */
function SingleCheckin({ branchId, stopId }: { branchId: string; stopId: string }) {
  const { t, i18n } = useTranslation();
  const routingHeadline = useRoutingHeadline();
  const [barcode, setBarcode] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const checkin = useMutation({
    mutationFn: (code: string) => call<CheckinResult>(client.POST('/api/circulation/checkin', { body: { barcode: code, branchId, ...(stopId ? { stopId } : {}) } })),
    onSuccess: () => {
      setBarcode('');
      input.current?.focus();
    },
  });
  const r = checkin.data;
  const headline = r ? routingHeadline(r) : null;
  return (
    <>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (barcode.trim()) checkin.mutate(barcode.trim());
        }}
      >
        <Field label={t('desk.barcode')}>
          {(id) => <input id={id} name="barcode" ref={input} autoFocus autoComplete="off" value={barcode} onChange={(e) => setBarcode(e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={!barcode || checkin.isPending}>
          {t('desk.checkin')}
        </button>
      </form>
      <Alert error={checkin.error} />
      {r && (
        <div className={`routing ${r.action}`} role="status" data-testid="routing" data-action={r.action}>
          <p className="routing-headline">{headline}</p>
          <p className="mono">{r.barcode}</p>
          {r.holdFor && (
            <p data-testid="hold-for">
              {t('desk.holdReader', { name: r.holdFor.patronName })}
              {r.holdFor.cardLast4 && t('desk.cardTail', { digits: r.holdFor.cardLast4 })}
            </p>
          )}
          <p>{i18n.language === 'en' ? r.message.en : r.message.zh}</p>
        </div>
      )}
    </>
  );
}
