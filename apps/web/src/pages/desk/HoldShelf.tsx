import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import { Alert, Empty, Field, Loading, Options, PageTitle } from '../../components/ui';
import { formatDateTime } from '../../i18n';
import { DeskBranchPicker, useDeskBranch } from './desk';
import { useIsMobileBranch, useMobileStops } from '../../mobile-stops';

interface ShelfEntry {
  id: string;
  title: string;
  barcode: string;
  patronName: string;
  cardNumber: string | null;
  readyAt: string;
  expiresAt: string;
  /** The mobile library's stop it goes out to (null: picked up at the branch). */
  stopId: string | null;
  stopName: string | null;
}

/** The hold shelf: copies waiting for their readers, the pickup deadline nearest first. */
export function HoldShelfPage() {
  const { t } = useTranslation();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const mobile = useIsMobileBranch(branchId);
  const stops = useMobileStops(branchId, mobile);
  // The mobile library's shelf, for one stop or all; the select is shown for the mobile library only.
  const [stopChoice, setStopChoice] = useState('');
  const stopId = mobile && stops.data?.some((s) => s.id === stopChoice) ? stopChoice : '';
  const shelf = useQuery({
    queryKey: ['hold-shelf', branchId, stopId],
    enabled: !!branchId,
    queryFn: () => call<ShelfEntry[]>(client.GET('/api/holds/shelf', { params: { query: stopId ? { branchId, stopId } : { branchId } } })),
  });
  return (
    <section>
      <PageTitle>{t('nav.holdShelf')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
      {mobile && !!stops.data?.length && (
        <Field label={t('mobile.shelfStop')}>
          {(id) => (
            <select id={id} name="shelfStop" value={stopId} onChange={(e) => setStopChoice(e.target.value)}>
              <Options items={stops.data} label={(s) => s.name} blank={t('app.all')} />
            </select>
          )}
        </Field>
      )}
      <p className="muted">{t('desk.holdShelfHelp')}</p>
      <Alert error={shelf.error} />
      {shelf.isPending ? (
        <Loading />
      ) : shelf.data?.length ? (
        <div className="grid-scroll">
          <table className="table" data-testid="hold-shelf">
            <thead>
              <tr>
                {mobile && <th scope="col">{t('mobile.shelfStop')}</th>}
                <th scope="col">{t('desk.barcode')}</th>
                <th scope="col">{t('desk.patron')}</th>
                <th scope="col">{t('desk.pickupBy')}</th>
              </tr>
            </thead>
            <tbody>
              {shelf.data.map((h) => (
                <tr key={h.id} data-stop={h.stopId ?? ''}>
                  {mobile && <td>{h.stopName ?? t('mobile.atBranch')}</td>}
                  <td>
                    <span className="mono">{h.barcode}</span>
                    <br />
                    {h.title}
                  </td>
                  <td>
                    {h.patronName}
                    <br />
                    <span className="mono">{h.cardNumber ?? '—'}</span>
                  </td>
                  <td>{formatDateTime(h.expiresAt, false)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty />
      )}
    </section>
  );
}
