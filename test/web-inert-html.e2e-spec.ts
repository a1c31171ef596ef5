import { DateTime } from 'luxon';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { bearer, everyDay, login, RESIDENT_PASSWORD, uniquePhone } from './utils/factories';
import { DESK, eventually, launchBrowser, listen, PHONE, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';
const IMG = '<img src=x onerror=window.__xss=1>';
const SCRIPT = '<script>window.__xss=1</script>';
// Every field that people type and the web app shows, each with markup that would run if it were rendered as HTML.
const REGION = `区${SCRIPT}`;
const BRANCH = `分馆${IMG}`;
const TITLE = `${IMG}书名${SCRIPT}`;
const ACTIVITY = `活动${IMG}`;
const ACTIVITY_TEXT = `${SCRIPT}活动说明${IMG}`;
const SERVICE = `服务${SCRIPT}`;
const SERVICE_TEXT = `服务说明${IMG}${SCRIPT}`;
const RESIDENT = `读者${IMG}`;
const DEMAND = `需求${IMG}`;
const DEMAND_TEXT = `需求说明${SCRIPT}`;

const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });

/**
 * Stored HTML and script in names, titles, descriptions and notes are shown as text: the pages that
 * show them (and the charts, whose tooltips are HTML) never run them, and the text reads literally.
 */
describe('web app: stored markup is inert', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  let regionId: string;
  let activityId: string;
  const tomorrow = (clock: string) => DateTime.now().setZone(ZONE).startOf('day').plus({ days: 1, hours: Number(clock.slice(0, 2)) }).toISO({ suppressMilliseconds: true })!;
  const year = () => DateTime.now().setZone(ZONE).year;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const as = (method: 'post' | 'put', path: string, body: object, status = 201) => t.http()[method](path).set(bearer(admin)).send(body).expect(status);
    regionId = (await as('post', '/api/regions', { name: REGION, kind: 'district', population: 1000 })).body.id;
    const branchId = (await as('post', '/api/branches', { name: BRANCH, kind: 'library', level: 'central', regionId, sharedCirculation: true, openingHours: everyDay('00:00', '24:00') })).body.id;
    const record = (await as('post', '/api/catalog/records', { title: TITLE, authors: [`作者${IMG}`] })).body.id;
    await as('post', '/api/catalog/items', { recordId: record, barcode: 'XSS000001', branchId, itemType: 'book' });
    activityId = (
      await as('post', '/api/activities', {
        title: ACTIVITY,
        description: ACTIVITY_TEXT,
        category: 'reading_event',
        branchId,
        sessions: [{ startsAt: tomorrow('10:00'), endsAt: tomorrow('11:00'), capacity: 20 }],
      })
    ).body.id;
    const item = (
      await as('post', '/api/service-items', {
        title: SERVICE,
        description: SERVICE_TEXT,
        category: 'lecture',
        provider: `提供方${IMG}`,
        durationMinutes: 60,
        audienceMin: 1,
        audienceMax: 100,
        monthlyCapacity: 4,
        regionIds: [regionId],
      })
    ).body.id;
    await as('post', `/api/service-items/${item}/publish`, {}, 200);
    const phone = uniquePhone();
    const reg = await t.http().post('/api/auth/register').send({ name: RESIDENT, phone, password: RESIDENT_PASSWORD }).expect(201);
    residentLogin = phone;
    await as('post', '/api/circulation/checkout', { cardNumber: reg.body.cardNumber, barcode: 'XSS000001', branchId });
    const resident = (await login(t.http, phone, RESIDENT_PASSWORD)).accessToken;
    await t.http().post('/api/demands').set(bearer(resident)).send({ title: DEMAND, description: DEMAND_TEXT, category: 'lecture', regionId }).expect(201);
  }, 180_000);
  let residentLogin = '';

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(options: typeof DESK | typeof PHONE): Promise<[BrowserContext, Page]> {
    const context = await browser.newContext({ ...options, baseURL: base });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.dismiss());
    return [context, page];
  }

  async function logIn(page: Page, name: string, password: string) {
    await page.goto('/login');
    await page.getByLabel('登录名').fill(name);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await visible(page.getByRole('button', { name: /退出/ }));
  }

  /** The page shows each text literally and nothing it stored ran or became an element. */
  async function inert(page: Page, texts: string[]) {
    for (const text of texts) await visible(page.getByText(text, { exact: false }));
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('script', { hasText: 'window.__xss' }).count()).toBe(0);
  }

  it('public pages: the landing page, an activity, the catalogue and the service menu', async () => {
    const [context, page] = await open(PHONE);
    try {
      await page.goto('/');
      await inert(page, [ACTIVITY]);
      await page.goto(`/activities/${activityId}`);
      await inert(page, [ACTIVITY, ACTIVITY_TEXT, BRANCH]);
      await page.goto(`/catalogue?q=${encodeURIComponent('书名')}`);
      await inert(page, [TITLE, BRANCH]);
      await page.goto('/services');
      await inert(page, [SERVICE, SERVICE_TEXT]);
      await page.goto('/demands');
      await inert(page, [DEMAND, DEMAND_TEXT]);
      await screenshot(page, 'inert-demands');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a resident’s own pages show their name and their loans as text', async () => {
    const [context, page] = await open(PHONE);
    try {
      await logIn(page, residentLogin, RESIDENT_PASSWORD);
      await page.goto('/card');
      await inert(page, [RESIDENT]);
      await page.goto('/loans');
      await inert(page, [TITLE]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('administrator pages and the indicator charts, tooltips included', async () => {
    const [context, page] = await open(DESK);
    try {
      await logIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
      await page.goto('/admin/branches');
      await inert(page, [BRANCH]);
      await page.goto(`/admin/indicators?plan=haidian-2015-2017&year=${year()}&regionId=${regionId}`);
      const row = page.getByTestId('indicator-table').locator('tr[data-code="circulation_per_volume"]');
      await visible(row);
      await row.getByRole('button', { name: '年图书流通率' }).click();
      const panel = page.getByTestId('indicator-panel');
      await panel.getByLabel('细分').selectOption({ label: '按馆点' });
      await eventually(async () => expect(await panel.getByTestId('breakdown').textContent()).toContain(BRANCH));
      // The breakdown chart's axis tooltip names the branch: hover the plot until ECharts shows it.
      const chart = panel.locator('.chart').nth(1);
      await visible(chart.locator('canvas'));
      await chart.scrollIntoViewIfNeeded();
      await eventually(async () => {
        const box = (await chart.boundingBox())!;
        await page.mouse.move(box.x + 5, box.y + 5);
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
        // ECharts' tooltip is a div inside the chart's box: its text is the branch name, markup and all.
        expect(await chart.textContent()).toContain(BRANCH);
      });
      await inert(page, [BRANCH]);
      await screenshot(page, 'inert-indicator-tooltip');
    } finally {
      await context.close();
    }
  }, 120_000);
});
