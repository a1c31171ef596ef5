import { Browser, Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident, Resident, testDistrict, everyDay } from './utils/factories';
import { accessibilityViolations, DESK, eventually, launchBrowser, listen, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '21:00');
const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });
const text = async (l: Locator) => (await l.textContent())?.trim();

/** The check-in desk's cart mode in real Chromium: scan several copies, check them all in, read each copy's result. */
describe('desk check-in: a cart of returns in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  const branch = { A: '', B: '' };
  let waiting: Resident;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const { library: mk } = await testDistrict(t.http, admin, { name: '还书区' }, EVERY_DAY);
    branch.A = await mk('东城总馆', 'central');
    branch.B = await mk('西街分馆', 'branch', branch.A);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'cart-a', password: 'Desk12345', name: '馆员甲', role: 'librarian', branchIds: [branch.A] }).expect(201);

    const record = async (title: string) => (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title, authors: ['鲁迅'] }).expect(201)).body.id as string;
    const [plain, held] = [await record('彷徨'), await record('朝花夕拾')];
    const copy = (barcode: string, recordId: string, home: string) =>
      t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId, barcode, branchId: home, itemType: 'book' }).expect(201);
    await copy('CART0001', plain, branch.A);
    await copy('CART0002', plain, branch.B);
    await copy('CART0003', held, branch.A);
    await copy('CART0004', plain, branch.A);
    await copy('CART0005', plain, branch.A);
    const borrower = await registerResident(t.http);
    for (const [barcode, at] of [['CART0001', branch.A], ['CART0002', branch.B], ['CART0003', branch.A]]) {
      await t.http().post('/api/circulation/checkout').set(bearer(admin)).send({ cardNumber: borrower.cardNumber, barcode, branchId: at }).expect(201);
    }
    waiting = await registerResident(t.http, { name: '欧阳小娜' });
    await t.http().post('/api/holds').set(bearer(waiting.accessToken)).send({ recordId: held, pickupBranchId: branch.A }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A scanner types the barcode and presses Enter. */
  async function scan(page: Page, barcode: string, label = '条码') {
    await page.getByLabel(label).fill(barcode);
    await page.getByLabel(label).press('Enter');
  }

  it('scans a few copies into the cart, checks them all in with one button, and shows each copy’s routing or error', async () => {
    const context = await browser.newContext({ ...DESK, baseURL: base });
    const page = await context.newPage();
    try {
      await page.goto('/login');
      await page.getByLabel('登录名').fill('cart-a');
      await page.getByLabel('密码').fill('Desk12345');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('navigation').getByRole('link', { name: '归还' }).click();
      await eventually(async () => expect(await page.getByLabel('当前馆点').inputValue()).toBe(branch.A));
      await page.getByRole('button', { name: '整车归还', exact: true }).click();
      expect(await page.getByRole('button', { name: '整车归还', exact: true }).getAttribute('aria-pressed')).toBe('true');

      const queue = page.getByTestId('cart-queue');
      for (const b of ['CART0001', 'CART0002', 'CART0003', 'CART0004', 'NOPE-0009', 'CART0005']) await scan(page, b);
      await eventually(async () => expect(await queue.locator('li .mono').allTextContents()).toEqual(['CART0001', 'CART0002', 'CART0003', 'CART0004', 'NOPE-0009', 'CART0005']));
      // A second scan of the same copy does not join the cart twice; something that is no barcode does not join at all.
      await scan(page, 'CART0001');
      await visible(page.getByRole('status').filter({ hasText: 'CART0001 已在清单中，没有重复加入' }));
      await scan(page, 'x y');
      await visible(page.getByRole('alert').filter({ hasText: '“x y”不是条码' }));
      // The copy put in by mistake comes off again.
      await page.getByRole('button', { name: '从清单移除 CART0005' }).click();
      await eventually(async () => expect(await queue.locator('li').count()).toBe(5));
      expect(await text(page.getByRole('heading', { name: /待还清单/ }))).toBe('待还清单（5 册）');
      await screenshot(page, 'desk-checkin-cart-queue');

      await page.getByRole('button', { name: '归还全部（5 册）' }).click();
      const results = page.getByTestId('cart-results');
      await eventually(async () => expect(await text(results.getByTestId('cart-summary'))).toBe('共 5 册：4 册已归还或已分流，1 册未处理'));
      const rows = results.getByTestId('cart-result');
      expect(await rows.evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { barcode: string } }).dataset.barcode))).toEqual(['CART0001', 'CART0002', 'CART0003', 'CART0004', 'NOPE-0009']);
      const row = (barcode: string) => results.locator(`[data-barcode="${barcode}"]`);
      const headline = (barcode: string) => text(row(barcode).locator('.routing-headline'));

      expect(await row('CART0001').getAttribute('data-action')).toBe('shelve');
      expect(await headline('CART0001')).toBe('上架：本馆');
      expect(await headline('CART0002')).toBe('送往：西街分馆');
      const [hold] = (await t.http().get('/api/me/holds').set(bearer(waiting.accessToken)).expect(200)).body;
      const deadline = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium' }).format(new Date(hold.expiresAt));
      expect(await headline('CART0003')).toBe(`预约架：欧**娜（取书截止 ${deadline}）`);
      expect(await text(row('CART0003').getByTestId('hold-for'))).toBe(`预约读者：欧**娜，读者证尾号 ${waiting.cardNumber.slice(-4)}`);
      expect(await text(row('CART0004'))).toContain('（该册未在借）上架：本馆');
      expect(await row('NOPE-0009').getAttribute('data-code')).toBe('ITEM_NOT_FOUND');
      expect(await headline('NOPE-0009')).toBe('⚠ 未能归还');
      expect(await text(row('NOPE-0009'))).toContain('条码不存在：NOPE-0009');
      expect(await text(results)).not.toContain(waiting.phone);
      // The cart is empty again, ready for the next one.
      await visible(page.getByText('清单是空的：请扫描条码'));
      expect(await text(page.getByRole('heading', { name: /待还清单/ }))).toBe('待还清单（0 册）');
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'desk-checkin-cart-results');
      // A desk on a small tablet or phone: the result boxes stack, nothing is wider than the screen.
      await page.setViewportSize({ width: 360, height: 780 });
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement;
        return Math.max(0, root.scrollWidth - 360);
      });
      expect(overflow).toBe(0);
      await screenshot(page, 'desk-checkin-cart-results-360');
      await page.setViewportSize(DESK.viewport);

      // The loans are closed, once each.
      const rowsInDb: Array<{ barcode: string; status: string }> = await t.app
        .get(DataSource)
        .query(`SELECT i.barcode, l.status FROM loan l JOIN item i ON i.id = l.item_id WHERE i.barcode LIKE 'CART%' ORDER BY i.barcode`);
      expect(rowsInDb).toEqual(['CART0001', 'CART0002', 'CART0003'].map((barcode) => ({ barcode, status: 'returned' })));

      // In English, the same desk reads the routing in English and the server words a copy's error in English.
      await page.getByRole('button', { name: 'English' }).click();
      await eventually(async () => expect(await headline('CART0002')).toBe('Send to branch: 西街分馆'));
      await scan(page, 'CART0001', 'Item barcode');
      await scan(page, 'NOPE-0010', 'Item barcode');
      await page.getByRole('button', { name: 'Check in all (2)' }).click();
      await eventually(async () => expect(await text(results.getByTestId('cart-summary'))).toBe('2 copies: 1 checked in or routed, 1 not done'));
      expect(await text(row('CART0001'))).toContain('(was not on loan) Shelve here');
      expect(await text(row('NOPE-0010'))).toContain('No item with barcode NOPE-0010');
      await screenshot(page, 'desk-checkin-cart-english');
    } finally {
      await context.close();
    }
  }, 120_000);
});
