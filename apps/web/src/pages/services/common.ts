import { useQuery } from '@tanstack/react-query';
import { call, client } from '../../api/client';
import type { Page } from '../../api/client';
import type { Region } from '../../api/schema';

export const SERVICE_CATEGORIES = ['performance', 'lecture', 'exhibition', 'film_screening', 'training', 'reading_promotion', 'book_delivery', 'home_visit'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export function useRegionNames() {
  const regions = useQuery({
    queryKey: ['regions'],
    queryFn: () => call<Page<Region>>(client.GET('/api/regions', { params: { query: { pageSize: 200 } } })),
    staleTime: 5 * 60_000,
  });
  const items = regions.data?.items ?? [];
  return { regions: items, regionName: (id: string) => items.find((r) => r.id === id)?.name ?? id.slice(0, 8) };
}

export const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
/** `<input type="datetime-local">` gives local wall time without a zone; the district is on Asia/Shanghai. */
export const withOffset = (local: string) => (local.length === 16 ? `${local}:00+08:00` : local);
