import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import type { Transit } from '../../api/schema';
import { Alert, Empty, Loading, PageTitle } from '../../components/ui';
import { useBranchName } from '../../hooks';
import { formatDateTime } from '../../i18n';
import { DeskBranchPicker, useDeskBranch } from './desk';

export function TransitsPage() {
  const { t } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  return (
    <section>
      <PageTitle>{t('nav.transits')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
      {branchId && (
        <div className="columns">
          <TransitList branchId={branchId} direction="incoming" />
          <TransitList branchId={branchId} direction="outgoing" />
        </div>
      )}
    </section>
  );
}

function TransitList({ branchId, direction }: { branchId: string; direction: 'incoming' | 'outgoing' }) {
  const { t } = useTranslation();
  const branchName = useBranchName();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['transits', branchId, direction],
    queryFn: () => call<Transit[]>(client.GET('/api/transits', { params: { query: { branchId, direction } } })),
  });
  const receive = useMutation({
    mutationFn: async (x: Transit) => ({
      barcode: x.barcode,
      ...(await call<{ action: 'shelve' | 'hold-shelf' | 'transit'; destinationBranchId?: string }>(
        client.POST('/api/transits/{id}/receive', { params: { path: { id: x.id } }, body: { branchId } }),
      )),
    }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['transits', branchId] }),
  });
  // Where the received copy goes next: on the shelf here, on the hold shelf, or on again.
  const r = receive.data;
  const received =
    r &&
    t('desk.receivedAs', {
      barcode: r.barcode,
      what: r.action === 'shelve' ? t('desk.shelve') : r.action === 'hold-shelf' ? t('desk.holdShelfPlain') : t('desk.transit', { branch: branchName(r.destinationBranchId) }),
    });
  return (
    <div>
      <h2>{t(`desk.${direction}`)}</h2>
      <Alert error={list.error ?? receive.error} success={direction === 'incoming' && received} />
      {list.isPending ? (
        <Loading />
      ) : list.data?.length ? (
        <div className="grid-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('desk.barcode')}</th>
                <th scope="col">{direction === 'incoming' ? t('app.from') : t('app.to')}</th>
                <th scope="col">{t('app.date')}</th>
                {direction === 'incoming' && <th scope="col"><span className="visually-hidden">{t('desk.receive')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {list.data.map((x) => (
                <tr key={x.id}>
                  <td>
                    <span className="mono">{x.barcode}</span>
                    <br />
                    {x.title} <span className="badge">{t(`desk.reason.${x.reason}`, { defaultValue: x.reason })}</span>
                  </td>
                  <td>{branchName(direction === 'incoming' ? x.fromBranchId : x.toBranchId)}</td>
                  <td>{formatDateTime(x.sentAt)}</td>
                  {direction === 'incoming' && (
                    <td>
                      <button type="button" onClick={() => receive.mutate(x)} disabled={receive.isPending} aria-label={`${t('desk.receive')} ${x.barcode}`}>
                        {t('desk.receive')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty />
      )}
    </div>
  );
}
