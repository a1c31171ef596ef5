/** One region of a tree with its own population figure for a year (null: none recorded). */
export interface RegionPopulation {
  id: string;
  parentId: string | null;
  population: number | null;
}

/**
 * The population of a region for per-head figures: its own figure, else the sum of its sub-regions'
 * (each resolved the same way) when every sub-region has one. A partial sum would understate the
 * population and overstate every per-head figure, so a region with a sub-region of unknown population,
 * or with no figure and no sub-regions, has none (null).
 */
export function resolvePopulation(regionId: string, regions: RegionPopulation[]): number | null {
  const byId = new Map(regions.map((r) => [r.id, r]));
  const children = new Map<string, string[]>();
  for (const r of regions) if (r.parentId && byId.has(r.parentId)) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  const resolve = (id: string, seen: Set<string>): number | null => {
    const own = byId.get(id)?.population;
    if (own !== null && own !== undefined) return own;
    const under = children.get(id) ?? [];
    if (!under.length || seen.has(id)) return null;
    let sum = 0;
    for (const child of under) {
      const p = resolve(child, new Set([...seen, id]));
      if (p === null) return null;
      sum += p;
    }
    return sum;
  };
  return resolve(regionId, new Set());
}
