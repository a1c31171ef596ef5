import { useQuery } from '@tanstack/react-query';
import { call, client } from './api/client';
import type { Activity, Branch, Page } from './api/views';

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

/**
 * An activity with its sessions' seats left, kept live. Polls for now; when the API gets a public
 * socket.io namespace for seat counts, this hook subscribes to it instead and no page changes.
 */
export function useLiveActivity(id: string) {
  return useQuery({
    queryKey: ['activity', id],
    queryFn: () => call<Activity>(client.GET('/api/activities/{id}', { params: { path: { id } } })),
    refetchInterval: 5_000,
  });
}
