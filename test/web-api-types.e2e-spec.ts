import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startTestApp, TestApp } from './utils/test-app';

const TYPES_FILE = join(__dirname, '../apps/web/src/api/schema.d.ts');
// openapi-typescript is ESM inside; its CLI runs it outside jest's CommonJS module system.
const CLI = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');
const HEADER = '// Generated from /api/docs-json by `npm run web:api-types`; do not edit. A test fails when it drifts from the API.\n\n';

/** The web app's API types are generated from the live OpenAPI document; this fails when they drift. */
describe('web app API types', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('match the OpenAPI document the API serves', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const dir = mkdtempSync(join(tmpdir(), 'api-types-'));
    let generated: string;
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      generated = HEADER + execFileSync(process.execPath, [CLI, join(dir, 'openapi.json'), '--alphabetize', '--default-non-nullable=false', '--root-types', '--root-types-no-schema-prefix', '--root-types-keep-casing'], { encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (process.env.UPDATE_API_TYPES === '1') writeFileSync(TYPES_FILE, generated);
    const committed = readFileSync(TYPES_FILE, 'utf8');
    // On failure: run `npm run web:api-types` and commit apps/web/src/api/schema.d.ts.
    expect(committed).toBe(generated);
  });
});
