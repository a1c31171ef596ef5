import { Browser, Locator } from 'playwright-core';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident, everyDay } from './utils/factories';
import { accessibilityViolations, DESK, eventually, launchBrowser, listen, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '21:00');
const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });
const text = async (l: Locator) => (await l.textContent())?.trim();

/** A service point loses its network: the desk keeps lending and taking back, and catches up when it returns. */
describe('desk offline circulation in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  let branchId = '';

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '山区', kind: 'district' }).expect(201);
    branchId = (
      await t.http()
        .post('/api/branches')
        .set(bearer(admin))
        .send({ name: '半山服务点', kind: 'library', level: 'central', regionId: district.body.id, sharedCirculation: true, openingHours: EVERY_DAY })
        .expect(201)
    ).body.id;
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'offline-desk', password: 'Desk12345', name: '馆员丙', role: 'librarian', branchIds: [branchId] }).expect(201);
    const record = (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '边城', authors: ['沈从文'] }).expect(201)).body.id;
    for (const barcode of ['OFF0001', 'OFF0002', 'OFF0003']) {
      await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record, barcode, branchId, itemType: 'book' }).expect(201);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('queues a checkout and a check-in offline, survives a reload offline, uploads on reconnect and shows the conflict', async () => {
    const reader = await registerResident(t.http);
    const other = await registerResident(t.http);
    // OFF0002 is out to another resident: lending it offline becomes a conflict; OFF0003 comes back offline.
    for (const barcode of ['OFF0002', 'OFF0003']) {
      await t.http().post('/api/circulation/checkout').set(bearer(admin)).send({ cardNumber: other.cardNumber, barcode, branchId }).expect(201);
    }
    await t.app.get(DataSource).query(`UPDATE loan SET checked_out_at = now() - interval '2 days'`);
    const context = await browser.newContext({ ...DESK, baseURL: base });
    const page = await context.newPage();
    try {
      await page.goto('/login');
      await page.getByLabel('登录名').fill('offline-desk');
      await page.getByLabel('密码').fill('Desk12345');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('navigation').getByRole('link', { name: '借出' }).click();
      await eventually(async () => expect(await page.getByLabel('当前馆点').inputValue()).toBe(branchId));
      // The service worker has kept the app shell before the network goes.
      await page.evaluate(async () => {
        const nav = (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown> } } }).navigator;
        await nav.serviceWorker.ready;
      });

      await context.setOffline(true);
      await visible(page.getByTestId('offline-status').filter({ hasText: '离线 — 已排队 0 笔' }));
      await page.getByLabel('读者证号或二维码').fill(reader.cardNumber);
      await page.getByLabel('读者证号或二维码').press('Enter');
      for (const barcode of ['OFF0001', 'OFF0002']) {
        await page.getByLabel('条码').fill(barcode);
        await page.getByRole('button', { name: '借出', exact: true }).click();
        await eventually(async () => expect(await page.getByTestId('checkout-results').locator('li').filter({ hasText: barcode }).count()).toBe(1));
      }
      expect(await text(page.getByTestId('checkout-results').locator('li').first())).toBe('OFF0002 — 已排队（离线），联网后借出');
      // What the API would refuse does not enter the queue: it would hold up every upload after it.
      await page.getByLabel('条码').fill('x y');
      await page.getByRole('button', { name: '借出', exact: true }).click();
      await visible(page.getByRole('alert').filter({ hasText: '“x y”不是条码' }));
      await visible(page.getByTestId('offline-status').filter({ hasText: '离线 — 已排队 2 笔' }));
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'desk-offline-checkout');

      // A reload with no network still opens the desk, from the service worker's cache.
      await page.goto('/desk/checkin');
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
      await visible(page.getByRole('heading', { name: '归还' }));
      await visible(page.getByTestId('offline-status').filter({ hasText: '离线 — 已排队 2 笔' }));
      await page.getByLabel('条码').fill('OFF0003');
      await page.getByLabel('条码').press('Enter');
      await visible(page.getByTestId('checkin-queued').filter({ hasText: 'OFF0003 — 已排队（离线），联网后归还' }));
      await visible(page.getByTestId('offline-status').filter({ hasText: '离线 — 已排队 3 笔' }));
      expect(await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM offline_transaction`)).toEqual([{ n: 0 }]);

      await context.setOffline(false);
      const results = page.getByTestId('offline-results');
      await eventually(async () => expect(await text(results.locator('p').first())).toBe('离线记录已上传：已办理 2 笔，冲突 1 笔，重复 0 笔'));
      expect(await page.getByTestId('offline-status').count()).toBe(0);
      expect(await results.getByTestId('offline-conflict').getAttribute('data-code')).toBe('ITEM_ALREADY_ON_LOAN');
      expect(await text(results.getByTestId('offline-conflict'))).toBe('OFF0002 — 该册已借出：OFF0002');
      await screenshot(page, 'desk-offline-uploaded');

      const loans: Array<{ barcode: string; status: string; card: string | null }> = await t.app.get(DataSource).query(
        `SELECT i.barcode, l.status, c.number AS card FROM loan l JOIN item i ON i.id = l.item_id LEFT JOIN card c ON c.patron_id = l.patron_id
          WHERE i.barcode LIKE 'OFF%' ORDER BY i.barcode, l.checked_out_at`,
      );
      expect(loans).toEqual([
        { barcode: 'OFF0001', status: 'open', card: reader.cardNumber },
        { barcode: 'OFF0002', status: 'open', card: other.cardNumber },
        // Returned: without the resident's consent to keep history, the loan no longer says whose it was.
        { barcode: 'OFF0003', status: 'returned', card: null },
      ]);

      // The conflict waits on its page, reached from the navigation, and is settled with a note.
      await results.getByRole('link', { name: '去处理离线冲突' }).click();
      await page.getByRole('navigation').getByRole('link', { name: '离线冲突' }).click();
      const list = page.getByTestId('offline-conflicts');
      await visible(list.locator('li'));
      expect(await text(list.locator('li').first())).toContain('该册已借出：OFF0002');
      expect(await text(list)).toContain(`${reader.cardNumber.slice(0, 4)}****${reader.cardNumber.slice(-4)}`);
      expect(await text(list)).not.toContain(reader.cardNumber);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'desk-offline-conflicts');
      await page.getByLabel('处理说明（OFF0002）').fill('读者手中的是另一册，已核对');
      await page.getByRole('button', { name: '标记已处理' }).click();
      await visible(page.getByText('暂无'));
      const [settled] = await t.app.get(DataSource).query(`SELECT settle_note FROM offline_transaction WHERE outcome = 'conflict'`);
      expect(settled.settle_note).toBe('读者手中的是另一册，已核对');

      await page.getByRole('button', { name: '已处理', exact: true }).click();
      await visible(page.getByTestId('settled-note').filter({ hasText: '读者手中的是另一册，已核对' }));

      await page.getByRole('button', { name: 'English' }).click();
      await visible(page.getByRole('heading', { name: 'Offline conflicts' }));
      await visible(page.getByText('Item OFF0002 is already on loan'));
    } finally {
      await context.close();
    }
  }, 120_000);
});
