import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { Hold, Loan } from '../../api/views';
import { Alert, Empty, Loading, PageTitle } from '../../components/ui';
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
