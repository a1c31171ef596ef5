import type { Readable } from 'node:stream';
import { SaxesParser, SaxesTagNS, XMLDecl } from 'saxes';
import type { MarcParseOptions, ParseOutcome } from './bib-record';
import { DataField, MarcRecord, chooseFlavour, controlValue } from './marc-record';
import { marcOutcome, rejection } from './record-outcome';
import { emptyToNull, normalizeValue } from './text';
import { InvalidUtf8Error, utf8Text } from './utf8-stream';

const MARC_NAMESPACE = 'http://www.loc.gov/MARC21/slim';

type Capture = { into: 'leader' } | { into: 'control'; tag: string } | { into: 'subfield'; code: string };

/**
 * Builds MARC records from SAX events. Elements count when they are in the MARC 21 slim namespace
 * or in none, so `<marc:record>`, `<record xmlns="…slim">` and bare `<record>` all work, and a
 * MARCXML record wrapped in another vocabulary (OAI-PMH) is found without confusing the wrappers.
 */
class MarcXmlCollector {
  failure: string | null = null;
  private outcomes: ParseOutcome[] = [];
  private index = 0;
  private record: MarcRecord | null = null;
  private problem: string | null = null;
  private field: DataField | null = null;
  private capture: Capture | null = null;
  private text = '';

  constructor(private readonly options: MarcParseOptions) {}

  get nextIndex(): number {
    return this.index;
  }

  drain(): ParseOutcome[] {
    return this.outcomes.splice(0);
  }

  fail(message: string): void {
    this.failure ??= message;
  }

  xmlDeclaration(decl: XMLDecl): void {
    if (decl.encoding && !/^utf-?8$/i.test(decl.encoding)) {
      this.fail(`unsupported XML encoding "${decl.encoding}": only UTF-8 is read`);
    }
  }

  open(tag: SaxesTagNS): void {
    if (this.failure || !isMarcElement(tag)) return;
    if (tag.local === 'record') return this.startRecord();
    if (!this.record) return;
    switch (tag.local) {
      case 'leader':
        return this.startText({ into: 'leader' });
      case 'controlfield':
        return this.startText({ into: 'control', tag: this.tagAttribute(tag) });
      case 'datafield':
        return this.startDataField(tag);
      case 'subfield':
        return this.startSubfield(tag);
    }
  }

  addText(text: string): void {
    if (!this.failure && this.capture) this.text += text;
  }

  close(tag: SaxesTagNS): void {
    if (this.failure || !isMarcElement(tag) || !this.record) return;
    switch (tag.local) {
      case 'record':
        return this.finishRecord(this.record);
      case 'datafield':
        if (this.field) this.record.fields.push(this.field);
        this.field = null;
        return;
      case 'leader':
      case 'controlfield':
      case 'subfield':
        return this.finishText(this.record);
    }
  }

  private startRecord(): void {
    if (this.record) {
      this.problem ??= 'record nested in a record';
      return;
    }
    this.record = { leader: '', fields: [] };
    this.problem = null;
  }

  private startText(capture: Capture): void {
    this.capture = capture;
    this.text = '';
  }

  private startDataField(tag: SaxesTagNS): void {
    const indicator = (name: string) => (tag.attributes[name]?.value ?? ' ').padEnd(1, ' ')[0];
    this.field = { kind: 'data', tag: this.tagAttribute(tag), ind1: indicator('ind1'), ind2: indicator('ind2'), subfields: [] };
  }

  private startSubfield(tag: SaxesTagNS): void {
    const code = tag.attributes.code?.value ?? '';
    if (!this.field) this.problem ??= 'subfield outside a datafield';
    if (code.length !== 1) this.problem ??= `subfield without a one-character code ("${code}")`;
    this.startText({ into: 'subfield', code });
  }

  private tagAttribute(tag: SaxesTagNS): string {
    const value = tag.attributes.tag?.value ?? '';
    if (!/^[0-9A-Za-z]{3}$/.test(value)) this.problem ??= `${tag.local} with an invalid tag ("${value}")`;
    return value;
  }

  private finishText(record: MarcRecord): void {
    const capture = this.capture;
    const value = normalizeValue(this.text);
    this.capture = null;
    if (capture?.into === 'leader') record.leader = value;
    if (capture?.into === 'control') record.fields.push({ kind: 'control', tag: capture.tag, value });
    if (capture?.into === 'subfield') this.field?.subfields.push({ code: capture.code, value });
  }

  private finishRecord(record: MarcRecord): void {
    const index = this.index++;
    this.record = null;
    if (this.problem) {
      this.outcomes.push(rejection(index, this.problem, emptyToNull(controlValue(record, '001'))));
      return;
    }
    const flavour = chooseFlavour(record.fields.map((f) => f.tag), this.options.flavour);
    this.outcomes.push(marcOutcome(record, index, flavour));
  }
}

function isMarcElement(tag: SaxesTagNS): boolean {
  return tag.uri === MARC_NAMESPACE || tag.uri === '';
}

function createParser(collector: MarcXmlCollector): SaxesParser<{ xmlns: true; position: true }> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('xmldecl', (decl) => collector.xmlDeclaration(decl));
  parser.on('opentag', (tag) => collector.open(tag));
  parser.on('text', (text) => collector.addText(text));
  parser.on('cdata', (text) => collector.addText(text));
  parser.on('closetag', (tag) => collector.close(tag));
  parser.on('error', (error) => collector.fail(`malformed XML: ${error.message}`));
  return parser;
}

/**
 * Reads MARCXML (a `<collection>` or a single `<record>`) as a stream. Records are yielded as they
 * close; once the XML is broken, the records before the fault are kept and the rest of the input
 * becomes a single rejection.
 */
export async function* parseMarcXml(input: Readable, options: MarcParseOptions = {}): AsyncGenerator<ParseOutcome> {
  const collector = new MarcXmlCollector(options);
  const parser = createParser(collector);
  try {
    for await (const text of utf8Text(input)) {
      parser.write(text);
      yield* collector.drain();
      if (collector.failure) break;
    }
    if (!collector.failure) parser.close();
  } catch (error) {
    if (!(error instanceof InvalidUtf8Error)) throw error;
    collector.fail('invalid UTF-8: MARCXML must be UTF-8');
  }
  yield* collector.drain();
  if (collector.failure) yield rejection(collector.nextIndex, `${collector.failure}; the rest of the input was not read`);
}
