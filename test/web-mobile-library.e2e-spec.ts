import { Browser, Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { bearer, login, registerResident, Resident, RESIDENT_PASSWORD, everyDay } from './utils/factories';
import { accessibilityViolations, DESK, eventually, launchBrowser, listen, PHONE, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '21:00');
const ZONE = 'Asia/Shanghai';
const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });
const text = async (l: Locator) => (await l.textContent())?.trim();
/** A visit's start as the web app words it (zh-CN, the branch's zone). */
const shown = (iso: string, locale = 'zh-CN') => new Intl.DateTimeFormat(locale, { timeZone: ZONE, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** 流动图书车 in real Chromium: the van's librarian keeps the route and lends at a stop; a resident sees the next visit. */
describe('the mobile library in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  const region = { district: '', sub: '', community: '' };
  const branch = { lib: '', van: '' };
  let borrower: Resident;
  /** Tomorrow in the branch's zone: the visit is always still to come, whatever the machine's zone or the hour. */
  const tomorrow = () => DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate()!;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const mkRegion = async (name: string, kind: string, parentId?: string) =>
      (await t.http().post('/api/regions').set(bearer(admin)).send({ name, kind, parentId }).expect(201)).body.id as string;
    region.district = await mkRegion('书车区', 'district');
    region.sub = await mkRegion('温泉镇', 'subdistrict', region.district);
    region.community = await mkRegion('白家疃村', 'village', region.sub);
    const mk = async (name: string, kind: string, level: string, parentId?: string) =>
      (
        await t.http()
          .post('/api/branches')
          .set(bearer(admin))
          .send({ name, kind, level, regionId: region.district, parentId, sharedCirculation: true, openingHours: EVERY_DAY })
          .expect(201)
      ).body.id as string;
    branch.lib = await mk('书车区图书馆', 'library', 'central');
    branch.van = await mk('流动图书车', 'mobile', 'service_point', branch.lib);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'van-desk', password: 'Desk12345', name: '车上馆员', role: 'librarian', branchIds: [branch.van] }).expect(201);
    const record = async (title: string) => (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title, authors: ['萧红'] }).expect(201)).body.id as string;
    const lent = await record('呼兰河传');
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: lent, barcode: 'VAN0001', branchId: branch.van, itemType: 'book' }).expect(201);
    const held = await record('生死场');
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: held, barcode: 'VAN0002', branchId: branch.lib, itemType: 'book' }).expect(201);
    borrower = await registerResident(t.http, { name: '张秀珍' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function logIn(page: Page, name: string, password: string) {
    await page.goto('/login');
    await page.getByLabel('登录名').fill(name);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
  }

  it('the van’s librarian adds a stop and a visit from the navigation, picks the stop at checkout, and the loan counts for the stop’s village', async () => {
    const context = await browser.newContext({ ...DESK, baseURL: base });
    const page = await context.newPage();
    try {
      await logIn(page, 'van-desk', 'Desk12345');
      await page.getByRole('navigation').getByRole('link', { name: '流动站点' }).click();
      await visible(page.getByRole('heading', { name: '流动站点', level: 1 }));
      await page.getByLabel('站点名称').fill('白家疃村口');
      await page.getByLabel('停靠位置').fill('村委会门前');
      await page.getByLabel('服务社区（村）').selectOption({ label: '白家疃村' });
      await page.getByRole('button', { name: '新增站点', exact: true }).click();
      const card = page.getByTestId('mobile-stop').filter({ hasText: '白家疃村口' });
      await visible(card);
      await card.getByLabel('日期').fill(tomorrow());
      await card.getByLabel('开始时间').fill('09:30');
      await card.getByLabel('结束时间').fill('11:30');
      await card.getByLabel('每周重复（次）').fill('2');
      await card.getByRole('button', { name: '安排停靠' }).click();
      const startsAt = DateTime.fromISO(`${tomorrow()}T09:30`, { zone: ZONE }).toISO()!;
      await eventually(async () => expect(await card.locator('li').allTextContents()).toEqual([expect.stringContaining(`${shown(startsAt)}–11:30`), expect.stringContaining('–11:30')]));
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'desk-mobile-stops');

      // Checkout: the desk works at a stop; the van's only stop is picked.
      await page.getByRole('navigation').getByRole('link', { name: '借出' }).click();
      const [stop] = (await t.http().get(`/api/mobile-stops?branchId=${branch.van}`).expect(200)).body;
      await eventually(async () => expect(await page.getByLabel('当前站点').inputValue()).toBe(stop.id));
      expect(await text(page.getByLabel('当前站点').locator('option:checked'))).toBe('白家疃村口（白家疃村）');
      await page.getByLabel('读者证号或二维码').fill(borrower.cardNumber);
      await page.getByLabel('读者证号或二维码').press('Enter');
      await visible(page.getByTestId('card-holder'));
      await page.getByLabel('条码').fill('VAN0001');
      await page.getByRole('button', { name: '借出', exact: true }).click();
      await eventually(async () => expect(await text(page.getByTestId('checkout-results'))).toContain('VAN0001'));
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'desk-mobile-checkout');
      const events: Array<{ region_id: string; stop_id: string }> = await t.app
        .get(DataSource)
        .query(`SELECT region_id, attributes->>'stopId' AS stop_id FROM usage_event WHERE kind = 'loan' AND branch_id = $1`, [branch.van]);
      expect(events).toEqual([{ region_id: region.community, stop_id: stop.id }]);

      // In English the desk reads the same.
      await page.getByRole('button', { name: 'English' }).click();
      await visible(page.getByLabel('Current stop'));
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a resident sees the van’s upcoming visits on the landing page, picks a stop for a hold, and reads the next visit with the hold', async () => {
    const [stop] = (await t.http().get(`/api/mobile-stops?branchId=${branch.van}`).expect(200)).body;
    expect(stop?.visits.length).toBe(2);
    const first = stop.visits[0];
    const context = await browser.newContext({ ...PHONE, baseURL: base });
    const page = await context.newPage();
    try {
      await page.goto('/');
      const visits = page.getByTestId('landing-mobile-visits');
      await visible(visits);
      expect(await text(visits.locator('li').first())).toContain(`白家疃村口${shown(first.startsAt)}–11:30`);
      expect(await accessibilityViolations(page)).toEqual([]);

      await logIn(page, borrower.phone, RESIDENT_PASSWORD);
      await page.goto('/catalogue?q=生死场');
      const record = page.locator('li.card').filter({ hasText: '生死场' });
      await visible(record);
      await record.getByLabel('取书馆点').selectOption({ label: '白家疃村口（白家疃村）' });
      await record.getByRole('button', { name: '预约' }).click();
      await visible(record.getByRole('status'));
      await page.goto('/loans');
      const next = page.getByTestId('next-visit');
      await visible(next);
      expect(await text(next)).toBe(`下次停靠：${shown(first.startsAt)}`);
      // The branch's name arrives with the branch list, which may answer after the holds.
      await eventually(async () => expect(await text(page.locator('li.card').filter({ hasText: '生死场' }))).toContain('流动图书车 · 白家疃村口'));
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'resident-mobile-next-visit');
    } finally {
      await context.close();
    }

    // The copy travels to the van, which receives it; its hold shelf says which stop it goes out to.
    const van = (await login(t.http, 'van-desk', 'Desk12345')).accessToken;
    const incoming = (await t.http().get('/api/transits?direction=incoming').set(bearer(van)).expect(200)).body;
    await t.http().post(`/api/transits/${incoming.find((x: { barcode: string }) => x.barcode === 'VAN0002').id}/receive`).set(bearer(van)).send({}).expect(201);
    const desk = await browser.newContext({ ...DESK, baseURL: base });
    const shelfPage = await desk.newPage();
    try {
      await logIn(shelfPage, 'van-desk', 'Desk12345');
      await shelfPage.getByRole('navigation').getByRole('link', { name: '预约架' }).click();
      const shelf = shelfPage.getByTestId('hold-shelf');
      await visible(shelf);
      expect(await text(shelf.locator(`tr[data-stop="${stop.id}"]`))).toContain('白家疃村口');
      expect(await text(shelf.locator(`tr[data-stop="${stop.id}"]`))).toContain('VAN0002');
      await shelfPage.getByLabel('取书站点').selectOption({ label: '白家疃村口' });
      await eventually(async () => expect(await shelf.locator('tbody tr').count()).toBe(1));
      expect(await accessibilityViolations(shelfPage)).toEqual([]);
      await screenshot(shelfPage, 'desk-mobile-hold-shelf');
    } finally {
      await desk.close();
    }
  }, 120_000);
});
