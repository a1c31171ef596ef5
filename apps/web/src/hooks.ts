import { replaceEqualDeep, useQuery } from '@tanstack/react-query';
import { call, client } from './api/client';
import type { Page } from './api/client';
import type { Activity, Branch } from './api/schema';
import { seatMarksOf, useLiveSeats } from './live';
import { keepNewerSeats } from './seat-order';

/** Every branch, for names and pickers (public, rarely changes). */
export function useBranches() {
  return useQuery({
    queryKey: ['branches'],
    queryFn: () => call<Page<Branch>>(client.GET('/api/branches', { params: { query: { pageSize: 200 } } })),
    staleTime: 5 * 60_000,
  });
}

export function useBranchName(): (id: string | null | undefined) => string {
  const { data } = useBranches();
  return (id) => data?.items.find((b) => b.id === id)?.name ?? (id ? id.slice(0, 8) : '');
}

/** An activity with its sessions' seats left, kept live over the API's public socket namespace. */
export function useLiveActivity(id: string) {
  const activity = useQuery({
    queryKey: ['activity', id],
    queryFn: () => call<Activity>(client.GET('/api/activities/{id}', { params: { path: { id } } })),
    // Every write of the cached activity (a read finishing, a push applied) keeps each session's newest
    // counts by `asOf`: a read sent before a push arrived cannot put the older count back.
    structuralSharing: (shown, read) => replaceEqualDeep(shown, keepNewerSeats(seatMarksOf(id), shown as Activity | undefined, read as Activity)),
  });
  useLiveSeats(id, activity.data?.sessions.map((s) => s.id) ?? []);
  return activity;
}
