import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../api/client';
import { Alert, Empty, Field, Loading, Options, PageTitle } from '../../components/ui';
import { type MobileStop, useIsMobileBranch, useMobileStops, visitWhen } from '../../mobile-stops';
import { weeklyDates } from '../../lib/mobile-visits';
import { useRegions } from '../admin/Branches';
import { DeskBranchPicker, useDeskBranch } from './desk';

/** 流动站点: the mobile library's librarian keeps its route — stops in the communities it serves, and their visits. */
export function MobileStopsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [branchId, setBranchId, choices] = useDeskBranch();
  const mobile = useIsMobileBranch(branchId);
  const stops = useMobileStops(branchId, mobile);
  const regions = useRegions();
  const served = (regions.data?.items ?? []).filter((r) => r.kind === 'community' || r.kind === 'village');
  const empty = { name: '', place: '', regionId: '' };
  const [form, setForm] = useState(empty);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['mobile-stops'] });
  const create = useMutation({
    mutationFn: () => call(client.POST('/api/mobile-stops', { body: { name: form.name.trim(), regionId: form.regionId, branchId, ...(form.place.trim() ? { place: form.place.trim() } : {}) } })),
    onSuccess: () => {
      setForm(empty);
      void refresh();
    },
  });
  return (
    <section>
      <PageTitle>{t('mobile.title')}</PageTitle>
      <DeskBranchPicker value={branchId} onChange={setBranchId} choices={choices} />
      {!mobile ? (
        <p className="callout">{t('mobile.notMobile')}</p>
      ) : (
        <>
          <h2>{t('mobile.stops')}</h2>
          <Alert error={stops.error} />
          {stops.isPending ? <Loading /> : stops.data?.length ? (
            <ul className="cards" data-testid="mobile-stops">
              {stops.data.map((s) => <StopCard key={s.id} stop={s} branchId={branchId} onChange={refresh} />)}
            </ul>
          ) : (
            <Empty />
          )}
          <h2>{t('mobile.addStop')}</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <Field label={t('mobile.stopName')}>
              {(id) => <input id={id} name="stopName" required maxLength={100} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
            </Field>
            <Field label={t('mobile.place')}>
              {(id) => <input id={id} name="stopPlace" maxLength={200} value={form.place} onChange={(e) => setForm({ ...form, place: e.target.value })} />}
            </Field>
            <Field label={t('mobile.region')}>
              {(id) => (
                <select id={id} name="stopRegion" required value={form.regionId} onChange={(e) => setForm({ ...form, regionId: e.target.value })}>
                  <Options items={served} label={(r) => r.name} blank="—" />
                </select>
              )}
            </Field>
            <button type="submit" className="primary" disabled={create.isPending}>
              {t('mobile.addStop')}
            </button>
          </form>
          <Alert error={create.error} success={create.isSuccess && t('mobile.stopAdded')} />
        </>
      )}
    </section>
  );
}

/** A stop with its upcoming visits: schedule more (once, or weekly a few times), cancel one, or delete the stop. */
function StopCard({ stop, branchId, onChange }: { stop: MobileStop; branchId: string; onChange: () => unknown }) {
  const { t } = useTranslation();
  const [visit, setVisit] = useState({ date: '', starts: '09:30', ends: '11:30', weeks: '1' });
  const schedule = useMutation({
    mutationFn: () =>
      call(
        client.POST('/api/mobile-stops/{id}/visits', {
          params: { path: { id: stop.id } },
          body: { dates: weeklyDates(visit.date, Number(visit.weeks) || 1), starts: visit.starts, ends: visit.ends, branchId },
        }),
      ),
    onSuccess: () => onChange(),
  });
  const cancel = useMutation({
    mutationFn: (visitId: string) =>
      call(client.DELETE('/api/mobile-stops/{id}/visits/{visitId}', { params: { path: { id: stop.id, visitId }, query: { branchId } } })),
    onSuccess: () => onChange(),
  });
  const remove = useMutation({
    mutationFn: () => call(client.DELETE('/api/mobile-stops/{id}', { params: { path: { id: stop.id }, query: { branchId } } })),
    onSuccess: () => onChange(),
  });
  return (
    <li className="card" data-testid="mobile-stop">
      <h3>{stop.name}</h3>
      <p className="muted">
        {stop.regionName}
        {stop.place && ` · ${stop.place}`}
      </p>
      <h4>{t('mobile.visits')}</h4>
      {stop.visits.length ? (
        <ul>
          {stop.visits.map((v) => (
            <li key={v.id}>
              {visitWhen(v)}{' '}
              <button type="button" onClick={() => cancel.mutate(v.id)} disabled={cancel.isPending} aria-label={`${t('mobile.cancelVisit')} ${stop.name} ${visitWhen(v)}`}>
                {t('mobile.cancelVisit')}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('mobile.noVisits')}</p>
      )}
      <form
        className="inline"
        aria-label={`${t('mobile.schedule')} ${stop.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          schedule.mutate();
        }}
      >
        <Field label={t('mobile.date')}>
          {(id) => <input id={id} name="visitDate" type="date" required value={visit.date} onChange={(e) => setVisit({ ...visit, date: e.target.value })} />}
        </Field>
        <Field label={t('mobile.starts')}>
          {(id) => <input id={id} name="visitStarts" type="time" required value={visit.starts} onChange={(e) => setVisit({ ...visit, starts: e.target.value })} />}
        </Field>
        <Field label={t('mobile.ends')}>
          {(id) => <input id={id} name="visitEnds" type="time" required value={visit.ends} onChange={(e) => setVisit({ ...visit, ends: e.target.value })} />}
        </Field>
        <Field label={t('mobile.weeks')}>
          {(id) => <input id={id} name="visitWeeks" type="number" min={1} max={52} value={visit.weeks} onChange={(e) => setVisit({ ...visit, weeks: e.target.value })} />}
        </Field>
        <button type="submit" disabled={schedule.isPending}>
          {t('mobile.schedule')}
        </button>
      </form>
      <Alert error={schedule.error ?? cancel.error ?? remove.error} />
      <button type="button" onClick={() => remove.mutate()} disabled={remove.isPending} aria-label={`${t('mobile.deleteStop')} ${stop.name}`}>
        {t('mobile.deleteStop')}
      </button>
    </li>
  );
}
