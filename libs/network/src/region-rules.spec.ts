import { branchParentProblem, regionParentProblem } from './region-rules';

describe('region tree rules', () => {
  it('allows district → subdistrict → community/village', () => {
    expect(regionParentProblem('district', null)).toBeNull();
    expect(regionParentProblem('subdistrict', 'district')).toBeNull();
    expect(regionParentProblem('community', 'subdistrict')).toBeNull();
    expect(regionParentProblem('village', 'subdistrict')).toBeNull();
  });

  it('explains the wrong shapes', () => {
    expect(regionParentProblem('district', 'district')).toBe('a district has no parent region');
    expect(regionParentProblem('community', null)).toBe('a community needs a parent region of kind subdistrict');
    expect(regionParentProblem('village', 'district')).toBe('a village belongs under a subdistrict, not a district');
  });
});

describe('branch tree rules', () => {
  it('keeps the central branch at the top', () => {
    expect(branchParentProblem('central', null)).toBeNull();
    expect(branchParentProblem('central', 'central')).toBe('a central branch has no parent');
  });

  it('hangs branches under the central and service points under either', () => {
    expect(branchParentProblem('branch', 'central')).toBeNull();
    expect(branchParentProblem('branch', 'branch')).toBe('a branch belongs under a central branch');
    expect(branchParentProblem('service_point', 'branch')).toBeNull();
    expect(branchParentProblem('service_point', 'central')).toBeNull();
    expect(branchParentProblem('service_point', 'service_point')).toBe('a service point cannot have branches under it');
  });
});
