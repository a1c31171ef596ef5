/** What the librarian does with a returned copy; the checkin response says it in large letters. */
export type RoutingAction = 'shelve' | 'hold-shelf' | 'transit';

export interface Routing {
  action: RoutingAction;
  destinationBranchId?: string;
  holdId?: string;
}

export interface RoutingInput {
  checkinBranchId: string;
  circulatingBranchId: string;
  /** The item floats, or the pair (checkin branch, circulating branch) is set to float. */
  floats: boolean;
  /** The first hold this copy can fill, if any. */
  hold?: { id: string; pickupBranchId: string };
}

/**
 * In this order: a waiting hold traps the copy (hold shelf here, or transit to the pickup branch);
 * otherwise it goes home, unless it floats, when it stays here and this becomes its branch.
 */
export function routeReturn(input: RoutingInput): Routing {
  if (input.hold) {
    return input.hold.pickupBranchId === input.checkinBranchId
      ? { action: 'hold-shelf', holdId: input.hold.id }
      : { action: 'transit', destinationBranchId: input.hold.pickupBranchId, holdId: input.hold.id };
  }
  if (input.floats || input.circulatingBranchId === input.checkinBranchId) return { action: 'shelve' };
  return { action: 'transit', destinationBranchId: input.circulatingBranchId };
}

/**
 * Steps between two branches in the central/branch tree (0: the same branch; siblings under one
 * branch: 2). Branches in separate trees are as far as can be. Used to pick the copy nearest a pickup branch.
 */
export function branchDistance(a: string, b: string, parentOf: ReadonlyMap<string, string | null>): number {
  if (a === b) return 0;
  const depthOnPath = new Map<string, number>();
  for (let node: string | null | undefined = a, d = 0; node && !depthOnPath.has(node); node = parentOf.get(node), d++) {
    depthOnPath.set(node, d);
  }
  for (let node: string | null | undefined = b, d = 0; node; node = parentOf.get(node), d++) {
    const up = depthOnPath.get(node);
    if (up !== undefined) return up + d;
    if (d > 64) break; // a malformed tree never loops forever
  }
  return Number.MAX_SAFE_INTEGER;
}
