import type { RegionKind } from './entities/region.entity';
import type { BranchLevel } from './entities/branch.entity';

/** 区 → 街道(镇) → 社区(村): which kind of region may sit under which. */
const PARENT_KIND: Record<RegionKind, RegionKind | null> = {
  district: null,
  subdistrict: 'district',
  community: 'subdistrict',
  village: 'subdistrict',
};

/** Why a region of `kind` cannot sit under a parent of `parentKind` (null: no parent), or null when it can. */
export function regionParentProblem(kind: RegionKind, parentKind: RegionKind | null): string | null {
  const expected = PARENT_KIND[kind];
  if (expected === parentKind) return null;
  if (expected === null) return 'a district has no parent region';
  if (parentKind === null) return `a ${kind} needs a parent region of kind ${expected}`;
  return `a ${kind} belongs under a ${expected}, not a ${parentKind}`;
}

/** 总馆 has no parent; a branch or service point hangs under a central or branch. */
export function branchParentProblem(level: BranchLevel, parentLevel: BranchLevel | null): string | null {
  if (level === 'central') return parentLevel === null ? null : 'a central branch has no parent';
  if (parentLevel === null) return null; // a stand-alone branch is allowed while the network is being built
  if (parentLevel === 'service_point') return 'a service point cannot have branches under it';
  if (level === 'branch' && parentLevel !== 'central') return 'a branch belongs under a central branch';
  return null;
}
