import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearer, login } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const FIXTURES = join(__dirname, 'fixtures', 'marc');

describe('one catalogue: records, items, import, search', () => {
  let t: TestApp;
  let admin: string;
  let branchA: string;
  let branchB: string;

  const upload = (file: string | Buffer, format?: string, name = 'upload.bin') => {
    const req = t.http().post(`/api/catalog/import${format ? `?format=${format}` : ''}`).set(bearer(admin));
    return req.attach('file', typeof file === 'string' ? readFileSync(join(FIXTURES, file)) : file, name);
  };
  const search = (q: string, extra = '') => t.http().get(`/api/catalog/search?q=${encodeURIComponent(q)}${extra}`).expect(200);

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '书目区', kind: 'district' }).expect(201);
    const mk = async (code: string, level: string, parentId?: string) =>
      (
        await t.http()
          .post('/api/branches')
          .set(bearer(admin))
          .send({ code, name: `${code} 馆`, kind: 'library', level, regionId: district.body.id, parentId, sharedCirculation: true })
          .expect(201)
      ).body.id as string;
    branchA = await mk('CAT-A', 'central');
    branchB = await mk('CAT-B', 'branch', branchA);
  });
  afterAll(() => t.close());

  it('finds Chinese substrings, ISBN-10 as ISBN-13, authors and call numbers, with copies per branch', async () => {
    const sanguo = await t.http()
      .post('/api/catalog/records')
      .set(bearer(admin))
      .send({ title: '三国演义', authors: ['罗贯中'], isbns: ['7-02-000873-9'], callNumber: 'I242.4', subjects: ['章回小说'] })
      .expect(201);
    expect(sanguo.body.isbns).toEqual(['9787020008735']);
    await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '三字经', authors: ['王应麟'] }).expect(201);
    for (const [barcode, branchId] of [['SG-0001', branchA], ['SG-0002', branchA], ['SG-0003', branchB]]) {
      await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: sanguo.body.id, barcode, branchId, itemType: 'book' }).expect(201);
    }

    const found = await search('三国');
    expect(found.body.total).toBe(1);
    expect(found.body.items[0]).toMatchObject({ title: '三国演义', itemCount: 3 });
    expect(found.body.items[0].availability).toEqual(
      expect.arrayContaining([
        { branchId: branchA, total: 2, available: 2 },
        { branchId: branchB, total: 1, available: 1 },
      ]),
    );
    expect((await search('国演')).body.total).toBe(1);
    expect((await search('三')).body.items.map((r: { title: string }) => r.title).sort()).toEqual(['三国演义', '三字经']);
    expect((await search('罗贯中')).body.items[0].title).toBe('三国演义');
    expect((await search('7020008739')).body.items[0].title).toBe('三国演义');
    expect((await search('i242.4')).body.items[0].title).toBe('三国演义');
    expect((await search('红楼')).body.total).toBe(0);
    expect((await search('三', `&branchId=${branchB}`)).body.total).toBe(1);
  });

  it('refuses bad records, items and searches with clear codes', async () => {
    expect((await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '坏', isbns: ['9787020008736'] }).expect(400)).body.code).toBe('ISBN_INVALID');
    const rec = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '条码测试' }).expect(201);
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: rec.body.id, barcode: 'DUP-001', branchId: branchA, itemType: 'book' }).expect(201);
    expect((await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: rec.body.id, barcode: 'DUP-001', branchId: branchA, itemType: 'book' }).expect(409)).body.code).toBe('BARCODE_TAKEN');
    expect((await t.http().get('/api/catalog/search').expect(400)).body.details.fields).toContain('q');
    expect((await t.http().get('/api/catalog/records/8d9d4f3e-1111-4a2b-9c3d-123456789abc').expect(404)).body.code).toBe('RECORD_NOT_FOUND');
  });

  it('imports MARCXML with Chinese 880 fields and finds the records by Chinese title', async () => {
    const report = await upload('graphic_880.xml', 'marcxml').expect(200);
    expect(report.body).toMatchObject({ format: 'marcxml', imported: 7, updated: 0, rejected: 0 });
    expect((await search('中国节')).body.items[0].title).toContain('图说中国节');
    expect((await search('老子说')).body.total).toBeGreaterThanOrEqual(1);
  });

  it('imports ISO 2709 idempotently: a second run updates, never duplicates', async () => {
    const first = await upload('bib.mrc', 'marc').expect(200);
    expect(first.body).toMatchObject({ imported: 6, updated: 0, rejected: 0 });
    const again = await upload('bib.mrc', 'marc').expect(200);
    expect(again.body).toMatchObject({ imported: 0, updated: 6, rejected: 0 });
    // The same records as MARCXML match by control number too.
    expect((await upload('bib.xml', 'marcxml').expect(200)).body).toMatchObject({ imported: 0, updated: 6 });
  });

  it('rejects broken and MARC-8 records one by one, never the whole file', async () => {
    const mangled = await upload('chinese_mangled_multibyte.mrc', 'marc').expect(200);
    expect(mangled.body.rejected).toBe(2);
    expect(mangled.body.imported + mangled.body.updated).toBe(2);
    expect(mangled.body.rejections[0].reason).toMatch(/MARC-8/);
    expect((await search('車輪')).body.total).toBe(1);

    const broken = await upload('not_unimarc_errors_3.mrc', 'marc').expect(200);
    expect(broken.body.rejected).toBe(3);
    const oclc = await upload('oclc_63111280_export_as_UTF8_from_connexion.mrc', 'marc').expect(200);
    expect(oclc.body).toMatchObject({ imported: 1, rejected: 0 });

    const truncated = readFileSync(join(FIXTURES, 'bib.mrc')).subarray(0, 3000);
    const partial = await upload(truncated, 'marc').expect(200);
    expect(partial.body.rejected).toBe(1);
    expect(partial.body.updated).toBeGreaterThanOrEqual(1);
  });

  it('imports CSV with holdings onto branches by code, and reports rows it cannot use', async () => {
    const csv = [
      'title,authors,isbn,publisher,year,callNumber,controlNumber,barcode,branchCode,itemType',
      '水浒传,施耐庵,,人民文学出版社,1997,I242.4,CSV-001,CSV-B-0001,CAT-A,book',
      '水浒传,施耐庵,,人民文学出版社,1997,I242.4,CSV-001,CSV-B-0002,CAT-B,book',
      ',无题,,,,,CSV-002,,,',
      '西游记,吴承恩,,,,,CSV-003,CSV-B-0003,NOPE,book',
    ].join('\n');
    const report = await upload(Buffer.from(csv, 'utf8'), undefined, 'records.csv').expect(200);
    expect(report.body).toMatchObject({ format: 'csv', imported: 2, rejected: 1, itemsCreated: 2, itemsSkipped: 1 });
    expect(report.body.warnings.map((w: { message: string }) => w.message).join(' ')).toContain('unknown branch code NOPE');
    const shuihu = (await search('水浒')).body.items[0];
    expect(shuihu.availability).toEqual(
      expect.arrayContaining([
        { branchId: branchA, total: 1, available: 1 },
        { branchId: branchB, total: 1, available: 1 },
      ]),
    );
  });

  it('answers a missing file or an unknown format with 400', async () => {
    const noFile = await t.http().post('/api/catalog/import?format=marc').set(bearer(admin)).field('x', '1').expect(400);
    expect(noFile.body.code).toBe('IMPORT_FILE_MISSING');
    const badFormat = await upload(Buffer.from('x'), undefined, 'file.txt').expect(400);
    expect(badFormat.body.code).toBe('IMPORT_FORMAT_INVALID');
    const badBranch = await t.http().post('/api/catalog/import?format=csv').set(bearer(admin)).field('branchId', 'nope').attach('file', Buffer.from('title\nx'), 'a.csv').expect(400);
    expect(badBranch.body.details.fields).toBe('branchId');
    const unknownBranch = await t.http()
      .post('/api/catalog/import?format=csv&branchId=8d9d4f3e-1111-4a2b-9c3d-123456789abc')
      .set(bearer(admin))
      .attach('file', Buffer.from('title\nx'), 'a.csv')
      .expect(400);
    expect(unknownBranch.body.code).toBe('REFERENCE_NOT_FOUND');
    const notMultipart = await t.http().post('/api/catalog/import?format=marc').set(bearer(admin)).send({}).expect(400);
    expect(notMultipart.body.code).toBe('VALIDATION_FAILED');
  });
});
