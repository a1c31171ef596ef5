import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { CheckinResult } from '../../api/views';
import { Alert, Field, PageTitle } from '../../components/ui';
import { useBranchName } from '../../hooks';
import { formatDateTime } from '../../i18n';
import { DeskBranchPicker, useDeskBranch } from './desk';

/** Check-in: the routing of the copy in large letters, so the desk sees at a glance where it goes. */
export function CheckinPage() {
  const { t, i18n } = useTranslation();
  const branchName = useBranchName();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const [barcode, setBarcode] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const checkin = useMutation({
    mutationFn: (code: string) => call<CheckinResult>(client.POST('/api/circulation/checkin', { body: { barcode: code, branchId } })),
    onSuccess: () => {
      setBarcode('');
      input.current?.focus();
    },
  });
  const r = checkin.data;
  const headline = r
    ? r.action === 'shelve'
      ? t('desk.shelve')
      : r.action === 'hold-shelf'
        ? r.holdFor?.pickupBy
          ? t('desk.holdShelfFor', { name: r.holdFor.patronName, date: formatDateTime(r.holdFor.pickupBy, false) })
          : t('desk.holdShelf', { name: r.holdFor?.patronName ?? '' })
        : t('desk.transit', { branch: branchName(r.destinationBranchId) })
    : null;
  return (
    <section>
      <PageTitle>{t('nav.checkin')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
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
    </section>
  );
}
