import { resolvePopulation } from './population';

describe('population of a region for per-head figures', () => {
  const tree = [
    { id: 'district', parentId: null, population: null },
    { id: 'a', parentId: 'district', population: 600 },
    { id: 'b', parentId: 'district', population: null },
    { id: 'b1', parentId: 'b', population: 300 },
    { id: 'b2', parentId: 'b', population: 100 },
  ];

  it('uses the region’s own figure when it has one', () => {
    expect(resolvePopulation('a', tree)).toBe(600);
    expect(resolvePopulation('district', tree.map((r) => (r.id === 'district' ? { ...r, population: 1500 } : r)))).toBe(1500);
  });

  it('falls back to the sum of its sub-regions, level by level', () => {
    expect(resolvePopulation('b', tree)).toBe(300 + 100);
    expect(resolvePopulation('district', tree)).toBe(600 + 300 + 100);
  });

  it('has none when a sub-region’s population is unknown, or there is nothing to add up', () => {
    expect(resolvePopulation('district', tree.map((r) => (r.id === 'b2' ? { ...r, population: null } : r)))).toBeNull();
    expect(resolvePopulation('b1', tree.map((r) => (r.id === 'b1' ? { ...r, population: null } : r)))).toBeNull();
    expect(resolvePopulation('nowhere', tree)).toBeNull();
  });

  it('counts a recorded population of 0 as a figure', () => {
    expect(resolvePopulation('b', tree.map((r) => (r.id === 'b2' ? { ...r, population: 0 } : r)))).toBe(300);
  });
});
