import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, client } from './api/client';
import { Alert, Field, Loading, Options } from './components/ui';
import { useBranches } from './hooks';
import { formatDateTime } from './i18n';
import { currentOrNextStop } from './lib/mobile-visits';

/** A visit of the mobile library at a stop: the instants, and its day and times in the branch's zone. */
export interface MobileStopVisit {
  id: string;
  startsAt: string;
  endsAt: string;
  date: string;
  starts: string;
  ends: string;
}

/** 流动站点: a stop of the mobile library, in the community it serves, with its upcoming visits. */
export interface MobileStop {
  id: string;
  branchId: string;
  branchName: string;
  regionId: string;
  regionName: string;
  name: string;
  place: string | null;
  visits: MobileStopVisit[];
}

/** The stops (of one mobile library, or all) with their visits that have not ended; public. */
export function useMobileStops(branchId?: string, enabled = true) {
  return useQuery({
    queryKey: ['mobile-stops', branchId ?? 'all'],
    enabled,
    queryFn: () => call<MobileStop[]>(client.GET('/api/mobile-stops', { params: { query: branchId ? { branchId } : {} } })),
  });
}

/** Is this branch a mobile library (流动图书车)? */
export function useIsMobileBranch(branchId: string): boolean {
  const branches = useBranches();
  return branches.data?.items.find((b) => b.id === branchId)?.kind === 'mobile';
}

const STOP_KEY = 'culture.deskStop';

/**
 * The stop a mobile library's desk works at today (remembered at this desk), or '' at a fixed branch.
 * Preselects the stop whose visit is on now, else the one visited next.
 */
export function useDeskStop(branchId: string): [string, (id: string) => void, MobileStop[]] {
  const mobile = useIsMobileBranch(branchId);
  const stops = useMobileStops(branchId, mobile && !!branchId);
  const choices = mobile ? (stops.data ?? []) : [];
  const [stopId, setStopId] = useState(() => localStorage.getItem(STOP_KEY) ?? '');
  useEffect(() => {
    if (!mobile) {
      if (stopId) setStopId('');
      return;
    }
    if (choices.length && !choices.some((s) => s.id === stopId)) setStopId(currentOrNextStop(choices, new Date())?.id ?? choices[0].id);
  }, [mobile, choices, stopId]);
  const choose = (id: string) => {
    localStorage.setItem(STOP_KEY, id);
    setStopId(id);
  };
  // Only a stop of this branch's list, never one remembered from another van or not yet loaded.
  return [choices.some((s) => s.id === stopId) ? stopId : '', choose, choices];
}

/** The stop select of a mobile library's desk; nothing at a fixed branch. */
export function DeskStopPicker({ value, onChange, choices }: { value: string; onChange: (id: string) => void; choices: MobileStop[] }) {
  const { t } = useTranslation();
  if (!choices.length) return null;
  return (
    <Field label={t('mobile.currentStop')} hint={t('mobile.currentStopHint')}>
      {(id, hint) => (
        <select id={id} name="deskStop" aria-describedby={hint} value={value} onChange={(e) => onChange(e.target.value)}>
          <Options items={choices} label={(s) => `${s.name}（${s.regionName}）`} />
        </select>
      )}
    </Field>
  );
}

/** "12月9日 09:30–11:00": a visit as a notice at the stop says it. */
export function visitWhen(v: Pick<MobileStopVisit, 'startsAt' | 'ends'>): string {
  return `${formatDateTime(v.startsAt)}–${v.ends}`;
}

const SHOWN_VISITS = 6;

/** The landing page's "mobile library visits": the next visits of every stop, soonest first (public). */
export function UpcomingVisits() {
  const { t } = useTranslation();
  const id = useId();
  const stops = useMobileStops();
  const next = (stops.data ?? [])
    .flatMap((stop) => stop.visits.map((visit) => ({ stop, visit })))
    .sort((a, b) => a.visit.startsAt.localeCompare(b.visit.startsAt))
    .slice(0, SHOWN_VISITS);
  return (
    <section aria-labelledby={id} className="part">
      <h2 id={id}>{t('mobile.upcoming')}</h2>
      <p className="muted">{t('mobile.upcomingHelp')}</p>
      <Alert error={stops.error} />
      {stops.isPending ? (
        <Loading />
      ) : next.length ? (
        <ul className="cards" data-testid="landing-mobile-visits">
          {next.map(({ stop, visit }) => (
            <li key={visit.id} className="card">
              <h3>{stop.name}</h3>
              <p>{visitWhen(visit)}</p>
              <p className="muted">
                {stop.regionName}
                {stop.place && ` · ${stop.place}`} · {stop.branchName}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('mobile.noUpcoming')}</p>
      )}
    </section>
  );
}
