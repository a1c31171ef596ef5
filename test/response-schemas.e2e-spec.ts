import { declaresResponses, ResponseChecker } from '../apps/api/src/http/response-check';
import { startTestApp, TestApp } from './utils/test-app';

type Operation = { operationId: string; responses: Record<string, { description?: string; content?: Record<string, unknown> }> };

/**
 * Every operation declares what it answers (apps/api/src/http/answers.ts), and the e2e tests run with
 * RESPONSE_CHECK=strict, so each real answer in every test is checked against that declaration
 * (apps/api/src/http/response-check.ts); the web app's types are generated from the same document.
 */
describe('response schemas', () => {
  let t: TestApp;
  let operations: Array<[string, Operation]>;
  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]),
    );
  });
  afterAll(() => t.close());

  it('are declared by every operation, with a body schema or a media type for each success', () => {
    expect(operations.length).toBeGreaterThan(100);
    const undeclared = operations.filter(([, op]) => !declaresResponses(op.responses)).map(([name]) => name);
    expect(undeclared).toEqual([]);
    const bodiless = operations
      .flatMap(([name, op]) =>
        Object.entries(op.responses)
          .filter(([status, r]) => Number(status) < 300 && Number(status) !== 204 && !Object.keys(r.content ?? {}).length)
          .map(([status]) => `${name} ${status}`),
      );
    expect(bodiless).toEqual([]);
  });

  it('compile, every one of them (the app compiles each the first time its operation answers)', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    expect(new ResponseChecker(doc).compileAll()).toBeGreaterThan(100);
  });

  it('turn an answer that breaks its schema into a 500 naming the field', async () => {
    // A region answers with `populations`; a copy of the app whose Region view lacked it would fail. Here the
    // checker is exercised on the live document with a body that misses a required field.
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    const checker = new ResponseChecker(doc);
    const problem = checker.check('GET /api/regions/{id}', 200, 'application/json', JSON.stringify({ id: 'x' }));
    expect(problem?.problem).toMatch(/must have required property 'name'|\/id must match format "uuid"/);
    const extra = checker.check('GET /api/regions', 200, 'application/json', JSON.stringify({ items: [], total: 0, page: 1, pageSize: 20, secret: 1 }));
    expect(extra?.problem).toContain('secret');
    expect(checker.check('GET /api/regions', 201, 'application/json', '{}')?.problem).toMatch(/status 201 is not declared/);
  });
});
