import { isbnProblem, normalizeIsbn } from './isbn';

describe('normalizeIsbn', () => {
  it('keeps a valid ISBN-13, without hyphens or spaces', () => {
    expect(normalizeIsbn('9787020008735')).toBe('9787020008735');
    expect(normalizeIsbn('978-7-02-000873-5')).toBe('9787020008735');
    expect(normalizeIsbn(' 978 7 02 000873 5 ')).toBe('9787020008735');
  });

  it('converts a valid ISBN-10 to the 978-prefixed ISBN-13', () => {
    // 7020008739: 7·10+0·9+2·8+0·7+0·6+0·5+8·4+7·3+3·2+9·1 = 154 = 14·11, so valid;
    // 978702000873 weighs 1,3,1,3… to 105, so the ISBN-13 check digit is 5.
    expect(normalizeIsbn('7020008739')).toBe('9787020008735');
    expect(normalizeIsbn('7-02-000873-9')).toBe('9787020008735');
    expect(normalizeIsbn('0439139600')).toBe('9780439139601');
  });

  it('accepts X as the ISBN-10 check digit, in either case', () => {
    expect(normalizeIsbn('0-8044-2957-X')).toBe('9780804429573');
    expect(normalizeIsbn('080442957x')).toBe('9780804429573');
  });

  it('ignores an ISBN prefix and trailing qualifiers as catalogues write them', () => {
    expect(normalizeIsbn('9787020008735 (pbk.)')).toBe('9787020008735');
    expect(normalizeIsbn('7801885120 :')).toBe('9787801885128');
    expect(normalizeIsbn('ISBN 978-7-02-000873-5')).toBe('9787020008735');
    expect(normalizeIsbn('ISBN：９７８７０２０００８７３５')).toBe('9787020008735');
  });

  it('rejects a wrong check digit', () => {
    expect(normalizeIsbn('9787020008736')).toBeNull();
    expect(normalizeIsbn('7020008738')).toBeNull();
    expect(normalizeIsbn('0804429579')).toBeNull();
  });

  it('rejects what is not shaped like an ISBN', () => {
    expect(normalizeIsbn('')).toBeNull();
    expect(normalizeIsbn('pbk.')).toBeNull();
    expect(normalizeIsbn('978702000873')).toBeNull();
    expect(normalizeIsbn('97870200087355')).toBeNull();
    expect(normalizeIsbn('9777020008735')).toBeNull();
    expect(normalizeIsbn('70200X8739')).toBeNull();
  });
});

describe('isbnProblem', () => {
  it('is null for valid ISBN-10s and ISBN-13s', () => {
    expect(isbnProblem('7020008739')).toBeNull();
    expect(isbnProblem('080442957X')).toBeNull();
    expect(isbnProblem('979-10-90636-07-1')).toBeNull();
    expect(isbnProblem('9787020008735')).toBeNull();
  });

  it('tells a bad check digit from a bad format', () => {
    expect(isbnProblem('9787020008736')).toBe('check_digit');
    expect(isbnProblem('7020008738')).toBe('check_digit');
    expect(isbnProblem('702000873')).toBe('format');
    expect(isbnProblem('abc')).toBe('format');
    expect(isbnProblem('9777020008735')).toBe('format');
  });
});
