import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { PullListEntry } from '../../api/schema';
import { Alert, Loading, PageTitle } from '../../components/ui';
import { useBranchName } from '../../hooks';
import { formatDateTime } from '../../i18n';
import { DeskBranchPicker, useDeskBranch } from './desk';

/** 取书单: the copies to take off this branch's shelves for holds, oldest hold first, ready to print. */
export function PullListPage() {
  const { t } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const branchName = useBranchName();
  const heading = useId();
  const list = useQuery({
    queryKey: ['pull-list', branchId],
    enabled: !!branchId,
    queryFn: () => call<PullListEntry[]>(client.GET('/api/holds/pull-list', { params: { query: { branchId } } })),
  });
  return (
    <section>
      <PageTitle>{t('pullList.nav')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
      <p className="muted">{t('pullList.help')}</p>
      <div className="actions">
        <button type="button" className="primary" disabled={!list.data?.length} onClick={() => window.print()}>
          {t('pullList.print')}
        </button>
        <button type="button" onClick={() => void list.refetch()}>
          {t('app.refresh')}
        </button>
      </div>
      <Alert error={list.error} />
      {list.isPending ? (
        <Loading />
      ) : list.data?.length ? (
        <section className="printable" aria-labelledby={heading}>
          <h2 id={heading}>
            {t('pullList.nav')}
            {t('app.colon')}
            {branchName(branchId)}
            {t('app.paren', { text: t('pullList.count', { n: list.data.length }) })}
          </h2>
          <div className="grid-scroll">
            <table className="table" data-testid="pull-list">
              <thead>
                <tr>
                  <th scope="col">{t('pullList.title')}</th>
                  <th scope="col">{t('pullList.callNumber')}</th>
                  <th scope="col">{t('pullList.location')}</th>
                  <th scope="col">{t('pullList.barcode')}</th>
                  <th scope="col">{t('pullList.pickup')}</th>
                  <th scope="col">{t('pullList.reader')}</th>
                  <th scope="col">{t('pullList.placedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((line) => (
                  <tr key={line.holdId} data-barcode={line.barcode}>
                    <td>{line.title}</td>
                    <td className="mono">{line.callNumber ?? '—'}</td>
                    <td>{line.shelvingLocation ?? '—'}</td>
                    <td className="mono">{line.barcode}</td>
                    <td>{line.pickupBranchName}</td>
                    <td>
                      {line.patronName}
                      {line.cardLast4 && t('desk.cardTail', { digits: line.cardLast4 })}
                    </td>
                    <td>{formatDateTime(line.placedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : (
        <p className="muted">{t('pullList.empty')}</p>
      )}
    </section>
  );
}
