import { compareCallNumbers, inCallNumberRange } from './call-number';
import { belongsToShelf, judgeScan, outOfOrder, ShelfCopy, ShelfRange } from './inventory';

describe('call numbers in Chinese Library Classification order', () => {
  it('reads the class number as a decimal notation and the book number naturally', () => {
    const shuffled = ['I25/1', 'I242.4/10', 'TP311/2', 'I247.57/2', 'I242.4/2', 'I24/9', 'B2/1', 'I247.5/1', 'I242/3', 'i242.4/1', 'TB1/1'];
    expect([...shuffled].sort(compareCallNumbers)).toEqual([
      'B2/1', 'I24/9', 'I242/3', 'i242.4/1', 'I242.4/2', 'I242.4/10', 'I247.5/1', 'I247.57/2', 'I25/1', 'TB1/1', 'TP311/2',
    ]);
  });

  it('puts an auxiliary mark before a deeper digit, and equal numbers compare equal', () => {
    expect(compareCallNumbers('I242-49/1', 'I2421/1')).toBeLessThan(0);
    expect(compareCallNumbers('I242.4/1', ' i242.4 / 1')).toBe(0);
  });

  it('takes a range end without a book number as the whole class under it', () => {
    expect(inCallNumberRange('I247.57/2', 'I247', 'I247')).toBe(true);
    expect(inCallNumberRange('I246.5/3', 'I247', 'I247')).toBe(false);
    expect(inCallNumberRange('I25/1', 'I247', 'I247')).toBe(false);
    expect(inCallNumberRange('I242.4/3', 'I242.4/2', 'I242.4/3')).toBe(true);
    expect(inCallNumberRange('I242.4/4', 'I242.4/2', 'I242.4/3')).toBe(false);
    expect(inCallNumberRange('Z1', 'I', null)).toBe(true);
    expect(inCallNumberRange('A1', null, 'B')).toBe(true);
  });
});

describe('inventory verdicts', () => {
  const range: ShelfRange = { branchId: 'A', callNumberFrom: 'I242', callNumberTo: 'I247', shelvingLocation: null };
  const copy = (over: Partial<ShelfCopy>): ShelfCopy => ({
    barcode: 'X', status: 'available', circulatingBranchId: 'A', currentBranchId: 'A', callNumber: 'I242.4/1', shelvingLocation: null, ...over,
  });

  it('says what a scan means for this shelf', () => {
    expect(judgeScan(null, range)).toEqual({ kind: 'unknown' });
    expect(judgeScan(copy({}), range)).toEqual({ kind: 'on_shelf' });
    expect(judgeScan(copy({ status: 'missing' }), range)).toEqual({ kind: 'on_shelf' });
    expect(judgeScan(copy({ status: 'on_loan', currentBranchId: null }), range)).toEqual({ kind: 'checked_out' });
    expect(judgeScan(copy({ circulatingBranchId: 'B' }), range)).toEqual({ kind: 'elsewhere', reason: 'other_branch' });
    expect(judgeScan(copy({ status: 'in_transit' }), range)).toEqual({ kind: 'elsewhere', reason: 'in_transit' });
    expect(judgeScan(copy({ callNumber: 'K825/1' }), range)).toEqual({ kind: 'elsewhere', reason: 'out_of_range' });
    expect(judgeScan(copy({ callNumber: null }), range)).toEqual({ kind: 'elsewhere', reason: 'out_of_range' });
  });

  it('checks the shelving location when the range names one', () => {
    const shelf = { ...range, shelvingLocation: '二楼文学' };
    expect(belongsToShelf(copy({ shelvingLocation: '二楼文学' }), shelf)).toBe(true);
    expect(belongsToShelf(copy({ shelvingLocation: '少儿室' }), shelf)).toBe(false);
    expect(belongsToShelf(copy({ shelvingLocation: '二楼文学', callNumber: null }), { ...shelf, callNumberFrom: null, callNumberTo: null })).toBe(true);
  });

  it('flags a copy whose call number sorts before the previous scanned one', () => {
    const scans = ['I242.4/1', 'I242.4/3', 'I242.4/2', null, 'I242.4/4', 'I242.4/4', 'I242/1'].map((callNumber, i) => ({ barcode: `B${i}`, callNumber }));
    expect(outOfOrder(scans)).toEqual(['B2', 'B6']);
  });
});
