import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { call, client } from '../../api/client';
import type { Page } from '../../api/client';
import type { RecordView } from '../../api/schema';
import { Alert, Empty, Field, Loading, Options, PageTitle } from '../../components/ui';
import { useBranches, useBranchName } from '../../hooks';
import { useSession } from '../../session';
import { useMobileStops } from '../../mobile-stops';

export function CataloguePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const results = useQuery({
    queryKey: ['catalogue', q],
    enabled: q.length > 0,
    queryFn: () => call<Page<RecordView>>(client.GET('/api/catalog/search', { params: { query: { q } } })),
  });
  return (
    <section>
      <PageTitle>{t('catalogue.title')}</PageTitle>
      <form
        role="search"
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setParams(text.trim() ? { q: text.trim() } : {});
        }}
      >
        <Field label={t('catalogue.query')}>{(id) => <input id={id} type="search" value={text} onChange={(e) => setText(e.target.value)} />}</Field>
        <button type="submit" className="primary">
          {t('app.search')}
        </button>
      </form>
      <Alert error={results.error} />
      {q && results.isPending && <Loading />}
      {results.data && (
        <>
          <p role="status">{t('catalogue.results', { n: results.data.total })}</p>
          {results.data.items.length === 0 && <p>{t('catalogue.noResults')}</p>}
          <ul className="cards">
            {results.data.items.map((r) => (
              <RecordCard key={r.id} record={r} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function RecordCard({ record }: { record: RecordView }) {
  const { t } = useTranslation();
  const { role } = useSession();
  const branchName = useBranchName();
  const branches = useBranches();
  const [pickup, setPickup] = useState('');
  const hold = useMutation({
    // A stop of the mobile library is `stop:<id>` in the select; the API finds its branch.
    mutationFn: () =>
      call<{ id: string; queuePosition?: number }>(
        client.POST('/api/holds', { body: pickup.startsWith('stop:') ? { recordId: record.id, pickupStopId: pickup.slice(5) } : { recordId: record.id, pickupBranchId: pickup } }),
      ),
  });
  const stops = useMobileStops(undefined, role === 'resident');
  const shared = branches.data?.items.filter((b) => b.sharedCirculation) ?? [];
  return (
    <li className="card">
      <h2>{record.title}</h2>
      <p className="muted">
        {[record.authors.join(t('app.listSep')), record.publisher, record.year].filter(Boolean).join(' · ')}
        {record.callNumber && <span className="mono"> · {record.callNumber}</span>}
      </p>
      <h3>{t('catalogue.availableAt')}</h3>
      {record.availability.length === 0 ? (
        <Empty />
      ) : (
        <ul className="availability">
          {record.availability.map((a) => (
            <li key={a.branchId} className={a.available > 0 ? 'ok' : 'none'}>
              {branchName(a.branchId)}
              {t('app.colon')}
              {t('catalogue.available', a)}
            </li>
          ))}
        </ul>
      )}
      {role === 'resident' && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            hold.mutate();
          }}
        >
          <Field label={t('catalogue.pickupBranch')}>
            {(id) => (
              <select id={id} required value={pickup} onChange={(e) => setPickup(e.target.value)}>
                <Options items={shared} label={(b) => b.name} blank="—" />
                {!!stops.data?.length && (
                  <optgroup label={t('mobile.pickupStops')}>
                    {stops.data.map((s) => (
                      <option key={s.id} value={`stop:${s.id}`}>
                        {s.name}（{s.regionName}）
                      </option>
                    ))}
                  </optgroup>
                )}
              </select>
            )}
          </Field>
          <button type="submit" disabled={hold.isPending}>
            {t('catalogue.placeHold')}
          </button>
        </form>
      )}
      {role === null && (
        <p>
          <Link to="/login">{t('app.login')}</Link> → {t('catalogue.placeHold')}
        </p>
      )}
      <Alert error={hold.error} success={hold.data && t('catalogue.holdPlaced', { n: hold.data.queuePosition ?? 1 })} />
    </li>
  );
}
