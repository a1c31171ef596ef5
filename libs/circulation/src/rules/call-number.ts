/**
 * Shelf order of call numbers (索书号) in the Chinese Library Classification: a class number, then after
 * "/" the book number. The class number is read as CLC reads it, as a decimal notation: letters compare
 * alphabetically, digits digit by digit with the dots that group them ignored, and a shorter number that
 * is a prefix of a longer one comes first (I24 < I242 < I242.4 < I247 < I25). Marks other than letters
 * and digits (auxiliary "-", "(", "=" …) come before a digit at the same place. The book number sorts
 * naturally, runs of digits as numbers (I242.4/2 < I242.4/10). Case and spaces are ignored.
 */
export function compareCallNumbers(a: string, b: string): number {
  const [classA, bookA] = split(a);
  const [classB, bookB] = split(b);
  return compareClass(classA, classB) || compareNatural(bookA, bookB);
}

function split(callNumber: string): [string, string] {
  const s = callNumber.toUpperCase().replace(/\s+/g, '');
  const slash = s.indexOf('/');
  return slash < 0 ? [s, ''] : [s.slice(0, slash), s.slice(slash + 1)];
}

/** Rank of one character of a class number: marks, then digits, then letters. */
function rank(c: string): number {
  if (c >= '0' && c <= '9') return 1000 + c.charCodeAt(0);
  if (c >= 'A' && c <= 'Z') return 2000 + c.charCodeAt(0);
  return c.charCodeAt(0) % 1000;
}

function compareClass(a: string, b: string): number {
  const x = a.replace(/\./g, '');
  const y = b.replace(/\./g, '');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = rank(x[i]) - rank(y[i]);
    if (d) return Math.sign(d);
  }
  return Math.sign(x.length - y.length);
}

function compareNatural(a: string, b: string): number {
  const x = a.match(/\d+|\D+/g) ?? [];
  const y = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const dx = /^\d/.test(x[i]);
    const dy = /^\d/.test(y[i]);
    if (dx && dy) {
      const d = Number(x[i]) - Number(y[i]) || x[i].length - y[i].length;
      if (d) return Math.sign(d);
    } else if (dx !== dy) {
      return dx ? -1 : 1;
    } else if (x[i] !== y[i]) {
      return x[i] < y[i] ? -1 : 1;
    }
  }
  return Math.sign(x.length - y.length);
}

/**
 * Whether a call number lies on the shelf range [from, to], both ends included, either open. A range end
 * with no book number covers the whole class under it: "I247" to "I247" holds I247, I247.5/1 and
 * I247.57/2, as a librarian reading the shelf labels means it.
 */
export function inCallNumberRange(callNumber: string, from: string | null, to: string | null): boolean {
  if (from !== null && compareCallNumbers(callNumber, from) < 0) return false;
  if (to === null) return true;
  const [toClass, toBook] = split(to);
  if (toBook) return compareCallNumbers(callNumber, to) <= 0;
  const [cls] = split(callNumber);
  const c = cls.replace(/\./g, '');
  const t = toClass.replace(/\./g, '');
  return compareClass(cls, toClass) <= 0 || c.startsWith(t);
}
