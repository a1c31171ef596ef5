import { maskPersonName } from './masking';

describe('maskPersonName', () => {
  it('keeps the first and last character of a name, the first only of a two-character name', () => {
    expect(maskPersonName('张三')).toBe('张*');
    expect(maskPersonName('王小明')).toBe('王*明');
    expect(maskPersonName('欧阳娜娜')).toBe('欧**娜');
  });

  it('shows nothing of a one-character name and ignores surrounding spaces', () => {
    expect(maskPersonName('李')).toBe('*');
    expect(maskPersonName('  赵六 ')).toBe('赵*');
  });

  it('counts characters, not UTF-16 units (a rare character outside the BMP stays whole)', () => {
    expect(maskPersonName('𠮷野家')).toBe('𠮷*家');
  });
});
