export interface CsvRow {
  fields: string[];
  /** The input ended inside a quoted field. */
  unterminated: boolean;
}

const QUOTE = '"';

/**
 * An RFC 4180 reader fed text in arbitrary pieces: quoted fields may hold commas, line breaks and
 * doubled quotes, rows end with LF, CRLF or CR, and a piece may end anywhere, even between two quotes.
 */
export class CsvReader {
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  /** Inside a quoted field right after a quote: either an escaped quote or the field's end follows. */
  private afterQuote = false;
  private skipLineFeed = false;

  *push(text: string): Generator<CsvRow> {
    for (const char of text) {
      const row = this.read(char);
      if (row) yield row;
    }
  }

  end(): CsvRow | null {
    const unterminated = this.quoted && !this.afterQuote;
    if (this.fields.length === 0 && this.field === '' && !this.quoted) return null;
    return { ...this.finishRow(), unterminated };
  }

  private read(char: string): CsvRow | null {
    const skip = this.skipLineFeed && char === '\n';
    this.skipLineFeed = false;
    if (skip) return null;
    if (this.quoted) return this.readQuoted(char);
    return this.readPlain(char);
  }

  private readQuoted(char: string): CsvRow | null {
    if (this.afterQuote) {
      this.afterQuote = false;
      if (char === QUOTE) {
        this.field += QUOTE;
        return null;
      }
      this.quoted = false;
      return this.readPlain(char);
    }
    if (char === QUOTE) this.afterQuote = true;
    else this.field += char;
    return null;
  }

  private readPlain(char: string): CsvRow | null {
    if (char === ',') {
      this.fields.push(this.field);
      this.field = '';
    } else if (char === '\n' || char === '\r') {
      this.skipLineFeed = char === '\r';
      return { ...this.finishRow(), unterminated: false };
    } else if (char === QUOTE && this.field === '') {
      this.quoted = true;
    } else {
      this.field += char;
    }
    return null;
  }

  private finishRow(): { fields: string[] } {
    const fields = [...this.fields, this.field];
    this.fields = [];
    this.field = '';
    this.quoted = false;
    this.afterQuote = false;
    return { fields };
  }
}
