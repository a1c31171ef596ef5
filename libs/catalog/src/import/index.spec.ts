import { Readable } from 'node:stream';
import { parseCsv, parseIso2709, parseMarcXml, parserFor } from './index';
import type { ParseOutcome } from './index';

async function titles(outcomes: AsyncIterable<ParseOutcome>): Promise<string[]> {
  const all: string[] = [];
  for await (const outcome of outcomes) all.push(outcome.ok ? outcome.record.title : outcome.reason);
  return all;
}

describe('parserFor', () => {
  it('returns the parser of each format', async () => {
    expect(parserFor('marc')).toBe(parseIso2709);
    expect(parserFor('marcxml')).toBe(parseMarcXml);
    expect(await titles(parserFor('csv')(Readable.from([Buffer.from('title\nT\n')])))).toEqual(['T']);
    expect(await titles(parseCsv(Readable.from([Buffer.from('title\nT\n')])))).toEqual(['T']);
  });

  it('refuses an unknown format', () => {
    expect(() => parserFor('pdf' as never)).toThrow('unknown import format "pdf"');
  });
});
