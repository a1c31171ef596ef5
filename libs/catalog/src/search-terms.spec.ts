import { cjkGrams, foldText, hasCjk, queryGrams, searchTermsOf } from './search-terms';

describe('search terms', () => {
  it('folds case, full-width forms and punctuation', () => {
    expect(foldText('Ｈｅｌｌｏ，  World!')).toBe('hello world');
    expect(foldText('三国演义（上）')).toBe('三国演义 上');
  });

  it('indexes CJK runs as unigrams and bigrams', () => {
    expect(cjkGrams('三国演义')).toEqual(['三', '三国', '国', '国演', '演', '演义', '义']);
    expect(cjkGrams('abc')).toEqual([]);
  });

  it('asks for the bigrams of a query, or its single character', () => {
    expect(queryGrams('三国')).toEqual(['三国']);
    expect(queryGrams('国演义')).toEqual(['国演', '演义']);
    expect(queryGrams('书')).toEqual(['书']);
    expect(queryGrams('red 楼')).toEqual(['楼']);
    expect(hasCjk('红楼梦')).toBe(true);
    expect(hasCjk('Dream')).toBe(false);
  });

  it('lets every query gram of a substring be found in the record grams', () => {
    const { searchGrams, searchText } = searchTermsOf({
      title: '三国演义',
      titleVariants: ['San guo yan yi'],
      responsibility: '罗贯中著',
      authors: ['罗贯中'],
      subjects: ['章回小说'],
      publisher: '人民文学出版社',
      callNumber: 'I242.4',
      isbns: ['9787020008735'],
    });
    for (const q of ['三国', '国演', '罗贯中', '小说', '出版社']) {
      expect(queryGrams(q).every((g) => searchGrams.includes(g))).toBe(true);
      expect(searchText).toContain(foldText(q));
    }
    expect(searchText).toContain('san guo yan yi');
    expect(searchText).toContain('i242 4');
  });
});
