import { compareCallNumbers, inCallNumberRange } from './call-number';

/** The shelf an inventory session checks. */
export interface ShelfRange {
  branchId: string;
  callNumberFrom: string | null;
  callNumberTo: string | null;
  shelvingLocation: string | null;
}

/** A copy as the inventory reads it. */
export interface ShelfCopy {
  barcode: string;
  status: string;
  circulatingBranchId: string;
  currentBranchId: string | null;
  callNumber: string | null;
  shelvingLocation: string | null;
}

/** Why a scanned copy should not be on this shelf. */
export type ElsewhereReason = 'other_branch' | 'out_of_range' | 'in_transit' | 'hold_shelf' | 'lost' | 'withdrawn';
export type ScanVerdict = { kind: 'unknown' } | { kind: 'checked_out' } | { kind: 'elsewhere'; reason: ElsewhereReason } | { kind: 'on_shelf' };

/**
 * The shelf range holds the copy: the branch's own (circulating here), its call number within the range
 * (a copy without one is in a range that gives only a shelving location), and at that location if one is given.
 */
export function belongsToShelf(copy: Pick<ShelfCopy, 'circulatingBranchId' | 'callNumber' | 'shelvingLocation'>, range: ShelfRange): boolean {
  if (copy.circulatingBranchId !== range.branchId) return false;
  if (range.shelvingLocation !== null && copy.shelvingLocation !== range.shelvingLocation) return false;
  if (range.callNumberFrom === null && range.callNumberTo === null) return true;
  return copy.callNumber !== null && inCallNumberRange(copy.callNumber, range.callNumberFrom, range.callNumberTo);
}

/** What a scan of this copy (null: no such barcode) on this shelf says. A missing copy scanned here is on the shelf again. */
export function judgeScan(copy: ShelfCopy | null, range: ShelfRange): ScanVerdict {
  if (!copy) return { kind: 'unknown' };
  if (copy.status === 'on_loan' || copy.status === 'claims_returned') return { kind: 'checked_out' };
  if (copy.circulatingBranchId !== range.branchId) return { kind: 'elsewhere', reason: 'other_branch' };
  if (copy.status === 'in_transit') return { kind: 'elsewhere', reason: 'in_transit' };
  if (copy.status === 'on_hold_shelf') return { kind: 'elsewhere', reason: 'hold_shelf' };
  if (copy.status === 'lost' || copy.status === 'withdrawn') return { kind: 'elsewhere', reason: copy.status };
  if (!belongsToShelf(copy, range)) return { kind: 'elsewhere', reason: 'out_of_range' };
  return { kind: 'on_shelf' };
}

/**
 * Out of order (Koha's "wrong place"): walking the copies that belong on this shelf in the order they
 * were scanned (each barcode at its first scan), one whose call number sorts before the previous one's
 * is out of place. Copies without a call number neither count nor break the walk. Returns their barcodes.
 * One book shelved far too early shows up as the book after it being out of order, as on Koha's report.
 */
export function outOfOrder(scanned: ReadonlyArray<{ barcode: string; callNumber: string | null }>): string[] {
  const wrong: string[] = [];
  let previous: string | null = null;
  for (const copy of scanned) {
    if (copy.callNumber === null) continue;
    if (previous !== null && compareCallNumbers(copy.callNumber, previous) < 0) wrong.push(copy.barcode);
    previous = copy.callNumber;
  }
  return wrong;
}
