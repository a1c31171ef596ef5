import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { CheckinResult } from '../../api/schema';
import { Alert, Field, PageTitle } from '../../components/ui';
import { enqueue, QUEUEABLE_BARCODE } from '../../offline/queue';
import { OfflineBanner, useOfflineQueue } from '../../offline/useOffline';
import { CheckinCart } from './CheckinCart';
import { CheckinSlips } from './CheckinSlip';
import { DeskBranchPicker, useDeskBranch, useRoutingHeadline } from './desk';
import { DeskStopPicker, useDeskStop } from '../../mobile-stops';

type Mode = 'single' | 'cart';
const MODE_KEY = 'culture.checkinMode';

/** Check-in, one copy at a time or a whole cart of returns at once (the choice is remembered at this desk). */
export function CheckinPage() {
  const { t } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const offline = useOfflineQueue();
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
      <OfflineBanner state={offline} />
      <DeskStopPicker value={stopId} onChange={setStopId} choices={stops} />
      <div className="actions mode" role="group" aria-label={t('desk.checkinMode')}>
        {(['single', 'cart'] as const).map((m) => (
          <button key={m} type="button" aria-pressed={mode === m} className={mode === m ? 'primary' : undefined} onClick={() => choose(m)}>
            {t(m === 'single' ? 'desk.modeSingle' : 'desk.modeCart')}
          </button>
        ))}
      </div>
      {/* Offline, returns are queued one copy at a time: the cart's routing answers need the server. */}
      {mode === 'cart' && !offline.online && <p className="muted">{t('offline.cartOffline')}</p>}
      {mode === 'cart' && offline.online ? <CheckinCart branchId={branchId} stopId={stopId} /> : <SingleCheckin branchId={branchId} stopId={stopId} />}
    </section>
  );
}

/** One copy: the routing in large letters, so the desk sees at a glance where it goes. */
function SingleCheckin({ branchId, stopId }: { branchId: string; stopId: string }) {
  const { t, i18n } = useTranslation();
  const routingHeadline = useRoutingHeadline();
  const [barcode, setBarcode] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const [queuedCodes, setQueuedCodes] = useState<string[]>([]);
  const queueCheckin = async (code: string): Promise<null> => {
    if (!QUEUEABLE_BARCODE.test(code)) throw new Error(t('desk.cartInvalid', { barcode: code }));
    await enqueue({ type: 'checkin', barcode: code, branchId, ...(stopId ? { stopId } : {}) });
    setQueuedCodes((q) => [code, ...q]);
    return null;
  };
  const checkin = useMutation({
    // React Query pauses mutations while the browser is offline; this one queues offline by itself.
    networkMode: 'always',
    mutationFn: async (code: string): Promise<CheckinResult | null> => {
      if (!navigator.onLine) return queueCheckin(code);
      try {
        return await call<CheckinResult>(client.POST('/api/circulation/checkin', { body: { barcode: code, branchId, ...(stopId ? { stopId } : {}) } }));
      } catch (e) {
        if (e instanceof TypeError) return queueCheckin(code);
        throw e;
      }
    },
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
      {queuedCodes.length > 0 && (
        <ol className="receipt" aria-live="polite" data-testid="checkin-queued">
          {queuedCodes.map((code, i) => (
            <li key={`${code}-${queuedCodes.length - i}`}>
              <span className="mono">{code}</span> — {t('offline.queuedCheckin')}
            </li>
          ))}
        </ol>
      )}
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
          {r.found && <p data-testid="found">{t('inventory.foundAtCheckin')}</p>}
        </div>
      )}
      {r && <CheckinSlips key={r.barcode} result={r} branchId={branchId} />}
    </>
  );
}
