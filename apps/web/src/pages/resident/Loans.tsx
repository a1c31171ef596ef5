import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { FinesAccount, Hold, Loan, Receipt } from '../../api/schema';
import { Alert, Empty, Field, Loading, PageTitle } from '../../components/ui';
import { money, ReceiptList, ReceiptView } from '../../components/Receipt';
import { useBranchName } from '../../hooks';
import { formatDateTime } from '../../i18n';

export function LoansPage() {
  const { t } = useTranslation();
  const loans = useQuery({ queryKey: ['my-loans'], queryFn: () => call<Loan[]>(client.GET('/api/me/loans')) });
  const holds = useQuery({ queryKey: ['my-holds'], queryFn: () => call<Hold[]>(client.GET('/api/me/holds')) });
  return (
    <section>
      <PageTitle>{t('loans.title')}</PageTitle>
      <h2>{t('loans.loans')}</h2>
      <Alert error={loans.error} />
      {loans.isPending ? <Loading /> : loans.data?.length ? <ul className="cards">{loans.data.map((l) => <LoanRow key={l.id} loan={l} />)}</ul> : <Empty />}
      <h2>{t('loans.holds')}</h2>
      <Alert error={holds.error} />
      {holds.isPending ? <Loading /> : holds.data?.length ? <ul className="cards">{holds.data.map((h) => <HoldRow key={h.id} hold={h} />)}</ul> : <Empty />}
      <MyFines />
    </section>
  );
}

/** My fines: what I owe, each fine, paying online, and my receipts. */
function MyFines() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const fines = useQuery({ queryKey: ['my-fines'], queryFn: () => call<FinesAccount>(client.GET('/api/me/fines')) });
  const [amount, setAmount] = useState('');
  const pay = useMutation({
    mutationFn: () =>
      call<Receipt>(
        client.POST('/api/me/fines/payments', {
          params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
          body: { amount: Number(amount || fines.data?.owed) },
        }),
      ),
    onSuccess: () => {
      setAmount('');
      return queryClient.invalidateQueries({ queryKey: ['my-fines'] });
    },
  });
  const f = fines.data;
  return (
    <>
      <h2>{t('fines.title')}</h2>
      <Alert error={fines.error} />
      {fines.isPending ? (
        <Loading />
      ) : f ? (
        <>
          <p data-testid="my-fines-owed">
            {t('fines.owed')}
            {t('app.colon')}
            <strong>{t('fines.yuan', { amount: money(f.owed) })}</strong>
          </p>
          {f.fines.length > 0 && (
            <ul className="cards">
              {f.fines.map((x) => (
                <li key={x.id} className="card">
                  <h3>
                    {t(`fines.reasons.${x.reason}`, { defaultValue: x.reason })} · {t('fines.yuan', { amount: money(x.amount) })}
                  </h3>
                  {x.title && <p>{x.title}</p>}
                  <p className="muted">
                    {formatDateTime(x.createdAt, false)} · {t('fines.paid')} {money(x.paid)} · {t('fines.waived')} {money(x.waived)} ·{' '}
                    {x.owing > 0 ? `${t('fines.owing')} ${money(x.owing)}` : t('fines.settled')}
                  </p>
                </li>
              ))}
            </ul>
          )}
          {f.owed > 0 && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                pay.mutate();
              }}
            >
              <Field label={t('fines.payOnline')} hint={t('fines.payOnlineHint')}>
                {(id, hint) => (
                  <input id={id} name="amount" type="number" min="0.01" step="0.01" max={f.owed} className="num" aria-describedby={hint} placeholder={money(f.owed)} value={amount} onChange={(e) => setAmount(e.target.value)} />
                )}
              </Field>
              <button type="submit" className="primary" disabled={pay.isPending}>
                {t('fines.payOnlineButton')}
              </button>
            </form>
          )}
          <Alert error={pay.error} success={pay.data && t('fines.paidDone', { amount: money(pay.data.amount), number: pay.data.receiptNumber })} />
          <h3>{t('fines.receipts')}</h3>
          <ReceiptList receipts={f.receipts} to={(n) => `/loans/receipts/${n}`} />
        </>
      ) : null}
    </>
  );
}

/** One of my receipts, to keep or print. */
export function MyReceiptPage() {
  const { t } = useTranslation();
  const { number = '' } = useParams();
  const receipt = useQuery({
    queryKey: ['my-receipt', number],
    queryFn: () => call<Receipt>(client.GET('/api/me/receipts/{number}', { params: { path: { number } } })),
  });
  return (
    <section>
      <PageTitle>{t('fines.receipt')}</PageTitle>
      <Alert error={receipt.error} />
      {receipt.isPending ? <Loading /> : receipt.data ? <ReceiptView receipt={receipt.data} back="/loans" /> : <Empty />}
    </section>
  );
}

function LoanRow({ loan }: { loan: Loan }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const renew = useMutation({
    mutationFn: () => call<{ dueAt: string }>(client.POST('/api/circulation/loans/{id}/renew', { params: { path: { id: loan.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['my-loans'] }),
  });
  return (
    <li className="card">
      <h3>{loan.title}</h3>
      <p>
        {t('loans.due')}
        {t('app.colon')}
        <strong>{formatDateTime(loan.dueAt, false)}</strong> {loan.overdue && <span className="badge danger">{t('loans.overdue')}</span>}
      </p>
      <p className="muted">
        <span className="mono">{loan.barcode}</span> · {t('loans.renewals', { n: loan.renewals })}
      </p>
      <button type="button" onClick={() => renew.mutate()} disabled={renew.isPending} aria-label={`${t('loans.renew')} ${loan.title}`}>
        {t('loans.renew')}
      </button>
      <Alert error={renew.error} success={renew.data && t('loans.renewed', { date: formatDateTime(renew.data.dueAt, false) })} />
    </li>
  );
}

function HoldRow({ hold }: { hold: Hold }) {
  const { t } = useTranslation();
  const branchName = useBranchName();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => call(client.DELETE('/api/holds/{id}', { params: { path: { id: hold.id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['my-holds'] }),
  });
  const active = !['cancelled', 'expired', 'fulfilled'].includes(hold.status);
  return (
    <li className="card">
      <h3>{hold.title}</h3>
      <p>
        <span className="badge">{t(`loans.status.${hold.status}`, { defaultValue: hold.status })}</span>{' '}
        {hold.status === 'ready' && hold.expiresAt
          ? t('loans.ready', { date: formatDateTime(hold.expiresAt, false) })
          : hold.queuePosition
            ? t('loans.queue', { n: hold.queuePosition })
            : null}
      </p>
      <p className="muted">
        {t('loans.pickup')}
        {t('app.colon')}
        {hold.pickupStopName ? `${branchName(hold.pickupBranchId)} · ${hold.pickupStopName}` : branchName(hold.pickupBranchId)}
      </p>
      {hold.pickupStopId && (
        <p data-testid="next-visit">
          {hold.pickupStopNextVisit ? t('mobile.nextVisit', { when: formatDateTime(hold.pickupStopNextVisit.startsAt) }) : t('mobile.noNextVisit')}
        </p>
      )}
      {active && (
        <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending} aria-label={`${t('loans.cancelHold')} ${hold.title}`}>
          {t('loans.cancelHold')}
        </button>
      )}
      <Alert error={cancel.error} />
    </li>
  );
}
