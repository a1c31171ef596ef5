import { firstYear, joinTitleParts, parseIsoDate, parsePrice, trimIsbd } from './text';

describe('trimIsbd', () => {
  it('removes the punctuation that ends MARC 21 subfields', () => {
    expect(trimIsbd('Harry Potter and the goblet of fire /')).toBe('Harry Potter and the goblet of fire');
    expect(trimIsbd('Beijing :')).toBe('Beijing');
    expect(trimIsbd('Kaimai, Jun,')).toBe('Kaimai, Jun');
    expect(trimIsbd('Da, Qiao.')).toBe('Da, Qiao');
    expect(trimIsbd('北京 :')).toBe('北京');
    expect(trimIsbd('大乔编著.')).toBe('大乔编著');
    expect(trimIsbd('Breathing，Feeding，and，Neuroprotection／')).toBe('Breathing，Feeding，and，Neuroprotection');
    expect(trimIsbd('I。Homma；S。Shioda［編］。')).toBe('I。Homma；S。Shioda［編］');
  });

  it('keeps periods that belong to initials, abbreviations and ellipses', () => {
    expect(trimIsbd('Rowling, J. K.')).toBe('Rowling, J. K.');
    expect(trimIsbd('Maps, plans, etc.')).toBe('Maps, plans, etc.');
    expect(trimIsbd('Avec préface par Henri Stein...')).toBe('Avec préface par Henri Stein...');
  });
});

describe('joinTitleParts', () => {
  const parts = (...pairs: [string, string][]) => pairs.map(([code, value]) => ({ code, value }));

  it('keeps the separator the record gives, even on a subfield left out', () => {
    expect(joinTitleParts(parts(['6', '880-02'], ['a', 'Tu shuo Zhongguo jie ='], ['b', 'Tushuo Zhongguojie /'], ['c', 'Da Qiao.']), 'ab')).toBe(
      'Tu shuo Zhongguo jie = Tushuo Zhongguojie',
    );
    expect(joinTitleParts(parts(['a', 'Data warehousing'], ['h', '[electronic resource] :'], ['b', 'proceedings /']), 'ab')).toBe(
      'Data warehousing : proceedings',
    );
  });

  it('joins unpunctuated UNIMARC parts with " : " unless a part continues the one before', () => {
    expect(joinTitleParts(parts(['a', '红楼梦'], ['e', '校注本']), 'ae')).toBe('红楼梦 : 校注本');
    expect(joinTitleParts(parts(['a', 'Greek printing types'], ['b', 'Texte imprimé'], ['e', ', 1465-1927']), 'ae')).toBe('Greek printing types, 1465-1927');
    expect(joinTitleParts(parts(['a', 'Documents'], ['e', ' sur la typographie']), 'ae')).toBe('Documents sur la typographie');
  });
});

describe('value parsers', () => {
  it('finds the first plausible year', () => {
    expect(firstYear('c2006.')).toBe(2006);
    expect(firstYear('[2005]')).toBe(2005);
    expect(firstYear('1900-1914. 4 vol.')).toBe(1900);
    expect(firstYear('19--')).toBeNull();
    expect(firstYear('12345')).toBeNull();
    expect(firstYear(null)).toBeNull();
  });

  it('reads prices with currency marks and separators', () => {
    expect(parsePrice('CNY28.00')).toBe(28);
    expect(parsePrice('¥ 19.80')).toBe(19.8);
    expect(parsePrice('１２.５０')).toBe(12.5);
    expect(parsePrice('1,280.00')).toBe(1280);
    expect(parsePrice('28,50')).toBe(28.5);
    expect(parsePrice('free')).toBeNull();
  });

  it('accepts real calendar dates only', () => {
    expect(parseIsoDate('2024-03-05')).toBe('2024-03-05');
    expect(parseIsoDate('20240305')).toBe('2024-03-05');
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2023-02-29')).toBeNull();
    expect(parseIsoDate('05/03/2024')).toBeNull();
  });
});
