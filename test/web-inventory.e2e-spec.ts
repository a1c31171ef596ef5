import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident, testDistrict, everyDay } from './utils/factories';
import { accessibilityViolations, DESK, eventually, launchBrowser, listen, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '21:00');
const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });
const text = async (l: Locator) => (await l.textContent())?.trim();

/** The inventory desk page in real Chromium: start, scan, upload a file, read the report, mark missing, find one again. */
describe('desk inventory (盘点) in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  const branch = { A: '', B: '' };

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const { library: mk } = await testDistrict(t.http, admin, { name: '盘点区' }, EVERY_DAY);
    branch.A = await mk('东城总馆', 'central');
    branch.B = await mk('西街分馆', 'branch', branch.A);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'inv-desk', password: 'Desk12345', name: '馆员甲', role: 'librarian', branchIds: [branch.A] }).expect(201);
    const record = async (title: string) => (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title, authors: ['老舍'] }).expect(201)).body.id as string;
    const copy = async (barcode: string, home: string, callNumber: string) =>
      t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: await record(`书${barcode}`), barcode, branchId: home, itemType: 'book', callNumber }).expect(201);
    await copy('SHELF001', branch.A, 'I246.5/1');
    await copy('SHELF002', branch.A, 'I246.5/2');
    await copy('SHELF003', branch.A, 'I246.5/3');
    await copy('SHELF004', branch.A, 'I246.5/4');
    await copy('SHELF005', branch.A, 'I246.5/5');
    await copy('SHELF006', branch.A, 'I246.5/6');
    await copy('AWAY0001', branch.B, 'I246.5/7');
    const borrower = await registerResident(t.http);
    await t.http().post('/api/circulation/checkout').set(bearer(admin)).send({ cardNumber: borrower.cardNumber, barcode: 'SHELF003', branchId: branch.A }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function scan(page: Page, barcode: string) {
    await page.getByLabel('条码', { exact: true }).fill(barcode);
    await page.getByLabel('条码', { exact: true }).press('Enter');
  }
  const count = (page: Page, key: string) => text(page.getByTestId('inventory-counts').locator(`[data-count="${key}"] dd`));
  const rowsOf = (page: Page, table: string) => page.getByTestId(`inventory-${table}`).locator('tbody tr').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { barcode: string } }).dataset.barcode));

  it('starts a session, scans, uploads a file, shows each category, marks missing with a confirm, and finds one again', async () => {
    const context = await browser.newContext({ ...DESK, baseURL: base });
    const page = await context.newPage();
    try {
      await page.goto('/login');
      await page.getByLabel('登录名').fill('inv-desk');
      await page.getByLabel('密码').fill('Desk12345');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('navigation').getByRole('link', { name: '盘点' }).click();
      await eventually(async () => expect(await page.getByLabel('当前馆点').inputValue()).toBe(branch.A));

      // A reversed range is refused, naming the field.
      await page.getByLabel('起始索书号').fill('I247');
      await page.getByLabel('截止索书号').fill('I246');
      await page.getByRole('button', { name: '开始', exact: true }).click();
      await visible(page.getByRole('alert').filter({ hasText: '盘点范围颠倒' }));
      await page.getByLabel('起始索书号').fill('I246');
      await page.getByLabel('截止索书号').fill('I246');
      await page.getByRole('button', { name: '开始', exact: true }).click();
      await visible(page.getByRole('heading', { name: '盘点：I246 – I246' }));

      // The scanner, one at a time: SHELF002 after SHELF004 is out of order.
      await scan(page, 'SHELF001');
      await visible(page.getByRole('status').filter({ hasText: 'SHELF001：在架' }));
      await scan(page, 'SHELF004');
      await eventually(async () => expect(await count(page, 'scans')).toBe('2'));
      // Then a file: one copy on loan, one of another branch, one unknown, and SHELF002 out of order.
      const file = join(tmpdir(), `inventory-${process.pid}.txt`);
      writeFileSync(file, 'SHELF002\r\nSHELF003\n\nAWAY0001\nNOSUCH01\n');
      await page.getByLabel('上传条码文件').setInputFiles(file);
      await visible(page.getByRole('status').filter({ hasText: '已扫入 4 个条码，找回 0 册' }));
      await eventually(async () => expect(await count(page, 'scans')).toBe('6'));
      expect(await count(page, 'expected')).toBe('5');
      expect(await count(page, 'onShelf')).toBe('3');
      expect(await rowsOf(page, 'missing')).toEqual(['SHELF005', 'SHELF006']);
      expect(await rowsOf(page, 'checked-out')).toEqual(['SHELF003']);
      expect(await rowsOf(page, 'elsewhere')).toEqual(['AWAY0001']);
      await eventually(async () => expect(await text(page.getByTestId('inventory-elsewhere').locator('tbody tr'))).toContain('属于 西街分馆'));
      expect(await rowsOf(page, 'out-of-order')).toEqual(['SHELF002']);
      expect(await text(page.getByTestId('inventory-out-of-order').locator('tbody tr'))).toContain('排在 I246.5/4 之后');
      expect(await rowsOf(page, 'unknown')).toEqual(['NOSUCH01']);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'desk-inventory-report');

      // Marking missing asks first; cancel leaves them be.
      await page.getByRole('button', { name: '将未扫到的 2 册标记为缺失' }).click();
      await visible(page.getByText('确认将 2 册未扫到的馆藏标记为缺失？'));
      await page.getByRole('button', { name: '取消' }).click();
      const status = async (barcode: string) => (await t.app.get(DataSource).query(`SELECT status FROM item WHERE barcode = $1`, [barcode]))[0].status;
      expect(await status('SHELF005')).toBe('available');
      await page.getByRole('button', { name: '将未扫到的 2 册标记为缺失' }).click();
      await page.getByRole('button', { name: '确认标记' }).click();
      await visible(page.getByRole('status').filter({ hasText: '已标记 2 册为缺失' }));
      expect(await status('SHELF005')).toBe('missing');
      expect(await status('SHELF006')).toBe('missing');
      await eventually(async () => expect(await text(page.getByTestId('inventory-missing').locator('[data-barcode="SHELF005"]'))).toContain('已标记缺失'));
      expect(await page.getByRole('button', { name: /标记为缺失/ }).count()).toBe(0);

      // SHELF006 turns up on the shelf after all: scanned, it is found.
      await scan(page, 'SHELF006');
      await visible(page.getByRole('status').filter({ hasText: 'SHELF006：找回（原为缺失）' }));
      await eventually(async () => expect(await rowsOf(page, 'found')).toEqual(['SHELF006']));
      expect(await rowsOf(page, 'missing')).toEqual(['SHELF005']);
      expect(await count(page, 'found')).toBe('1');
      expect(await status('SHELF006')).toBe('available');
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'desk-inventory-found');

      // On a phone-sized screen the report's tables scroll in their own box; nothing is wider than the screen.
      await page.setViewportSize({ width: 360, height: 780 });
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement;
        return Math.max(0, root.scrollWidth - 360);
      });
      expect(overflow).toBe(0);
      await page.setViewportSize(DESK.viewport);

      // In English.
      await page.getByRole('button', { name: 'English' }).click();
      await visible(page.getByRole('heading', { name: 'Inventory: I246 – I246' }));
      expect(await text(page.getByTestId('inventory-counts').locator('[data-count="found"] dt'))).toBe('Found');

      // The other missing copy comes back over the return desk: check-in says it is found.
      await page.getByRole('button', { name: '中文' }).click();
      await page.getByRole('navigation').getByRole('link', { name: '归还' }).click();
      if ((await page.getByRole('button', { name: '单册归还', exact: true }).getAttribute('aria-pressed')) !== 'true') {
        await page.getByRole('button', { name: '单册归还', exact: true }).click();
      }
      await page.getByLabel('条码', { exact: true }).fill('SHELF005');
      await page.getByLabel('条码', { exact: true }).press('Enter');
      await visible(page.getByTestId('found').filter({ hasText: '此册曾登记为缺失或丢失，现已找回' }));
      expect(await status('SHELF005')).toBe('available');
    } finally {
      await context.close();
    }
  }, 120_000);
});
