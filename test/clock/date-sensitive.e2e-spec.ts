import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * test/clock/clock-matrix.sh runs the test files that read the clock again at several instants (near
 * midnight, month end, year end, in several machine zones). This keeps its list honest: a test file that
 * starts building dates from "now" fails here until it is listed there, or named below with the reason its
 * dates cannot depend on the day.
 */
const READS_THE_CLOCK = /\bDateTime\.(now|local)\(|\bDate\.now\(|\bnew Date\(\)/;

/** Files that read the clock only for durations, never for a day, a month or a year. */
const DURATIONS_ONLY: Record<string, string> = {
  'cards.e2e-spec.ts': 'the QR token lifetime (60 s) and an expired token an hour old',
  'web-accessibility.e2e-spec.ts': 'axe checks the layout; its fixtures use the same dated helpers as web.e2e-spec.ts, which the matrix runs',
};

const TEST_DIR = join(__dirname, '..');
const MATRIX = readFileSync(join(__dirname, 'clock-matrix.sh'), 'utf8');

function listedFiles(): string[] {
  const line = MATRIX.match(/^DEFAULT_FILES="([^"]*)"/m);
  if (!line) throw new Error('clock-matrix.sh has no DEFAULT_FILES line');
  return line[1].split(/\s+/).filter(Boolean).map((name) => `${name}.e2e-spec.ts`);
}

describe('the clock matrix', () => {
  const specs = readdirSync(TEST_DIR).filter((f) => f.endsWith('.e2e-spec.ts'));

  it('runs again every test file that builds dates from now', () => {
    const listed = new Set(listedFiles());
    const unlisted = specs.filter((f) => READS_THE_CLOCK.test(readFileSync(join(TEST_DIR, f), 'utf8')) && !listed.has(f) && !(f in DURATIONS_ONLY));
    expect(unlisted).toEqual([]);
  });

  it('lists only files that exist', () => {
    const missing = [...listedFiles(), ...Object.keys(DURATIONS_ONLY)].filter((f) => !specs.includes(f));
    expect(missing).toEqual([]);
  });

  it('moves the clock near local midnight, month end and year end, in UTC and in Asia/Shanghai, under several machine zones', () => {
    const instants = [...MATRIX.matchAll(/^\s+"([^|"]+)\|([^|"]+)\|[^"]*"$/gm)].map((m) => ({ zone: m[1], instant: m[2] }));
    expect(new Set(instants.map((i) => i.zone)).size).toBeGreaterThanOrEqual(3);
    const local = (iso: string, offsetHours: number) => new Date(new Date(iso).getTime() + offsetHours * 3_600_000).toISOString();
    const nearMidnight = (iso: string, offsetHours: number) => /T(23:5\d|00:[0-5]\d)/.test(local(iso, offsetHours));
    // Near Shanghai's midnight and near UTC's, and among them a month's end and a year's end.
    expect(instants.some((i) => nearMidnight(i.instant, 8))).toBe(true);
    expect(instants.some((i) => nearMidnight(i.instant, 0))).toBe(true);
    expect(instants.some((i) => /-12-31T23:5/.test(local(i.instant, 8)))).toBe(true);
    expect(instants.some((i) => /-12-31T23:5/.test(local(i.instant, 0)))).toBe(true);
    expect(instants.some((i) => /-02-2[89]T23:5/.test(local(i.instant, 8)))).toBe(true);
  });
});
