import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import { Alert, Empty, Field, Loading, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';

interface AccessLine {
  id: string;
  at: string;
  staffId: string;
  staffUsername: string | null;
  patronId: string;
  patronName: string | null;
  operation: 'read' | 'change';
  action: string;
  fields: string[];
  ip: string | null;
  userAgent: string | null;
}

const PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A calendar day typed in the form, as the instant its local midnight is. */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);

/** The PIPL access log for admins: who among the staff read or changed a resident's personal data. */
export function PersonalDataAccessPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState({ patronId: '', staffId: '', from: '', to: '' });
  const [page, setPage] = useState(1);
  const query = {
    patronId: UUID.test(filters.patronId) ? filters.patronId : undefined,
    staffId: UUID.test(filters.staffId) ? filters.staffId : undefined,
    from: dayStart(filters.from),
    // "to" names the last day shown: the window ends at the next day's start.
    to: filters.to ? new Date(new Date(`${filters.to}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined,
    page,
    pageSize: PAGE_SIZE,
  };
  const log = useQuery({
    queryKey: ['personal-data-access', query],
    queryFn: () => call<{ items: AccessLine[]; total: number }>(client.GET('/api/admin/personal-data-access', { params: { query } })),
  });
  const set = (key: keyof typeof filters) => (e: { target: { value: string } }) => {
    setFilters({ ...filters, [key]: e.target.value.trim() });
    setPage(1);
  };
  const pages = Math.max(1, Math.ceil((log.data?.total ?? 0) / PAGE_SIZE));
  return (
    <section>
      <PageTitle>{t('privacy.accessLog')}</PageTitle>
      <p>{t('privacy.accessLogHelp')}</p>
      <div className="filters">
        <Field label={t('privacy.patronId')}>{(id) => <input id={id} className="mono" value={filters.patronId} onChange={set('patronId')} />}</Field>
        <Field label={t('privacy.staffId')}>{(id) => <input id={id} className="mono" value={filters.staffId} onChange={set('staffId')} />}</Field>
        <Field label={t('privacy.from')}>{(id) => <input id={id} type="date" value={filters.from} onChange={set('from')} />}</Field>
        <Field label={t('privacy.to')}>{(id) => <input id={id} type="date" value={filters.to} onChange={set('to')} />}</Field>
      </div>
      <Alert error={log.error} />
      {log.isPending ? (
        <Loading />
      ) : !log.data?.items.length ? (
        <Empty />
      ) : (
        <div className="grid-scroll">
          <table className="table" data-testid="personal-data-access">
            <thead>
              <tr>
                <th scope="col">{t('privacy.at')}</th>
                <th scope="col">{t('privacy.staff')}</th>
                <th scope="col">{t('privacy.patron')}</th>
                <th scope="col">{t('privacy.operation')}</th>
                <th scope="col">{t('privacy.fields')}</th>
                <th scope="col">{t('privacy.where')}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.items.map((line) => (
                <tr key={line.id}>
                  <td>{formatDateTime(line.at)}</td>
                  <td className="mono">{line.staffUsername ?? line.staffId}</td>
                  <td>
                    {line.patronName ?? t('privacy.closedAccount')}
                    <br />
                    <small className="mono">{line.patronId}</small>
                  </td>
                  <td>
                    {t(`privacy.operations.${line.operation}`)}
                    <br />
                    <small className="mono">{line.action}</small>
                  </td>
                  <td>{line.fields.join(t('app.listSep'))}</td>
                  <td>
                    <span className="mono">{line.ip ?? '—'}</span>
                    <br />
                    <small>{line.userAgent ?? ''}</small>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          {t('privacy.previous')}
        </button>{' '}
        {t('privacy.pageOf', { page, pages, total: log.data?.total ?? 0 })}{' '}
        <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          {t('privacy.next')}
        </button>
      </p>
    </section>
  );
}
