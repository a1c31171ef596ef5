import { DateTime } from 'luxon';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { bearer, login, registerResident, everyDay } from './utils/factories';
import { accessibilityViolations, DESK, eventually, launchBrowser, listen, PHONE, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const SHANGHAI = 'Asia/Shanghai';
const ALL_DAY = everyDay('00:00', '24:00');
/** A local time `days` from today in a zone, as an ISO instant with its offset. */
const at = (zone: string, days: number, clock: string) =>
  DateTime.now().setZone(zone).startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) }).toISO({ suppressMilliseconds: true })!;

/**
 * A fixed-offset zone where it is now between 12:00 and 13:00: a venue there always has part of today
 * left to book, whatever the hour in Shanghai or on this machine.
 */
function middayZone(): string {
  const hours = 12 - DateTime.utc().hour;
  return hours === 0 ? 'UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });
const text = async (l: Locator) => (await l.textContent())?.trim();

/**
 * The public landing page at `/`, opened without logging in, in real Chromium against the real API: what
 * is on soon with seats left (live), venues free today, the branch open now with its hours, the catalogue
 * search, how to get a card; large text and English. The browser runs in Honolulu, far from the district.
 */
describe('the landing page in a browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  let readingClub: string;
  const zone = middayZone();

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const region = (await t.http().post('/api/regions').set(bearer(admin)).send({ name: '首页区', kind: 'district' }).expect(201)).body.id;
    const mk = async (body: object) => (await t.http().post('/api/branches').set(bearer(admin)).send({ kind: 'library', regionId: region, sharedCirculation: true, ...body }).expect(201)).body.id as string;
    // The central library (Shanghai) is open round the clock; the cultural centre is listed first but is not a library.
    await mk({ name: '区文化馆', kind: 'cultural_centre', level: 'central', openingHours: [] });
    const central = await mk({ name: '区图书馆', level: 'central', address: '文化路 1 号', openingHours: ALL_DAY });
    const midday = await mk({ name: '正午分馆', level: 'branch', parentId: central, timeZone: zone, openingHours: ALL_DAY });
    // Opens in the afternoon, where it is midday now: closed at every instant the test runs, opening later today.
    const afternoon = everyDay('15:00', '18:00');
    await mk({ name: '社区服务点', kind: 'service_point', level: 'service_point', parentId: midday, timeZone: zone, openingHours: afternoon });

    // Tomorrow in the branch's zone: upcoming at every instant of today.
    const activity = (title: string, capacity: number) =>
      t.http().post('/api/activities').set(bearer(admin)).send({ title, category: 'reading_event', branchId: central, sessions: [{ startsAt: at(SHANGHAI, 1, '10:00'), endsAt: at(SHANGHAI, 1, '11:00'), capacity }] }).expect(201);
    readingClub = (await activity('<b>周末</b>读书会', 5)).body.id;
    const full = (await activity('已满的讲座', 1)).body.id;
    const someone = await registerResident(t.http);
    const fullSession = (await t.http().get(`/api/activities/${full}`).expect(200)).body.sessions[0].id;
    await t.http().post(`/api/activities/${full}/registrations`).set(bearer(someone.accessToken)).send({ sessionId: fullSession }).expect(201);

    await t.http().post('/api/venues').set(bearer(admin)).send({ branchId: midday, name: '<i>共享</i>活动室', kind: 'room', capacity: 12, slotMinutes: 30, minMinutes: 30 }).expect(201);
    await t.http().post('/api/venues').set(bearer(admin)).send({ branchId: midday, name: '团体排练厅', kind: 'hall', capacity: 80, whoMayBook: ['organisation'] }).expect(201);

    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '乡土中国', authors: ['费孝通'] }).expect(201);
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode: 'LAND0001', branchId: central, itemType: 'book' }).expect(201);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'land-lib', password: 'Desk12345', name: '首页馆员', role: 'librarian', branchIds: [central] }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(options: typeof PHONE | typeof DESK): Promise<[BrowserContext, Page]> {
    const context = await browser.newContext({ ...options, timezoneId: 'Pacific/Honolulu', baseURL: base });
    return [context, await context.newPage()];
  }

  it('shows a visitor, without logging in, what is on, what is free today, the branch open now and how to get a card', async () => {
    const [context, page] = await open(PHONE);
    try {
      await page.goto('/');
      await visible(page.getByRole('heading', { level: 1, name: '欢迎使用公共文化服务平台' }));
      expect(new URL(page.url()).pathname).toBe('/');
      // Login and registration stay in reach.
      await visible(page.getByRole('banner').getByRole('link', { name: '登录' }));

      // Upcoming with seats left; the full one is not offered. The stored title is shown as text.
      const activities = page.getByRole('region', { name: '近期活动' });
      const club = activities.getByRole('listitem').filter({ has: page.getByRole('link', { name: '<b>周末</b>读书会' }) });
      await visible(club);
      await eventually(async () => expect(await text(club.locator('.seats'))).toBe('剩余 5 席'));
      expect(await activities.locator('b').count()).toBe(0);
      expect(await activities.getByText('已满的讲座').count()).toBe(0);

      // Someone registers: the count drops without a reload.
      const resident = await registerResident(t.http);
      const session = (await t.http().get(`/api/activities/${readingClub}`).expect(200)).body.sessions[0].id;
      await t.http().post(`/api/activities/${readingClub}/registrations`).set(bearer(resident.accessToken)).send({ sessionId: session }).expect(201);
      await eventually(async () => expect(await text(club.locator('.seats'))).toBe('剩余 4 席'), 20_000);

      // A venue free today, on its own branch's day; the hall only organisations may book is not offered to residents.
      const venues = page.getByRole('region', { name: '今天可预约的场馆' });
      const room = venues.getByRole('listitem').filter({ has: page.getByRole('link', { name: '<i>共享</i>活动室' }) });
      await visible(room);
      expect(await text(room)).toMatch(/今天空闲：\d\d:\d\d–24:00/);
      expect(await venues.getByText('团体排练厅').count()).toBe(0);

      // The central library (the default before one is picked), open now, with its hours.
      const branch = page.getByRole('region', { name: '就近馆点' });
      await eventually(async () => expect(await branch.getByLabel('选择离您近的馆点').locator('option:checked').textContent()).toBe('区图书馆'));
      await visible(branch.getByRole('heading', { name: '区图书馆' }));
      await eventually(async () => expect(await text(branch.getByTestId('branch-status'))).toBe('正在开放，营业至午夜'));
      const hours = branch.getByRole('table', { name: '未来 7 天开放时间' });
      expect(await hours.getByRole('row').count()).toBe(7);
      expect(await text(hours.getByRole('row').first())).toBe('今天全天开放');

      // How to get a card.
      const card = page.getByRole('region', { name: '如何办理读者证' });
      expect(await card.getByRole('link', { name: '在线注册' }).getAttribute('href')).toBe('/register');
      await visible(card.getByText('或携带身份证到任一馆点的服务台办理。'));
      await visible(card.getByText(/一张读者证全区通用/));
      expect(await card.getByRole('link', { name: '登录' }).getAttribute('href')).toBe('/login');
      await page.waitForFunction(`!document.querySelector('[aria-busy="true"]')`);
      await screenshot(page, 'landing-phone');
      expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      // Large text, kept on the next visit.
      await page.getByRole('button', { name: '大字模式' }).click();
      await eventually(async () => expect(await page.locator('html').getAttribute('class')).toMatch(/large-text/));
      await page.reload();
      await visible(page.getByRole('heading', { level: 1, name: '欢迎使用公共文化服务平台' }));
      expect(await page.locator('html').getAttribute('class')).toMatch(/large-text/);
      await visible(page.getByRole('button', { name: '标准字号' }));
      await page.waitForFunction(`!document.querySelector('[aria-busy="true"]')`);
      await screenshot(page, 'landing-phone-large');
      expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      // English.
      await page.getByRole('button', { name: 'English' }).click();
      await visible(page.getByRole('heading', { level: 1, name: 'Welcome to the public cultural service platform' }));
      await visible(page.getByRole('region', { name: 'Coming up' }).getByText('4 seats left'));
      await visible(page.getByRole('region', { name: 'How to get a reader card' }).getByRole('link', { name: 'Register online' }));
      await eventually(async () => expect(await text(page.getByTestId('branch-status'))).toBe('Open now, until midnight'));
      await screenshot(page, 'landing-phone-large-english');
      expect(await page.locator('main').textContent()).not.toMatch(/[：（）、]/);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('remembers the branch a resident picks, and points to the nearest one open when it is closed', async () => {
    const [context, page] = await open(DESK);
    try {
      await page.goto('/');
      const branch = page.getByRole('region', { name: '就近馆点' });
      await visible(branch.getByRole('heading', { name: '区图书馆' }));
      await branch.getByLabel('选择离您近的馆点').selectOption({ label: '社区服务点' });
      await visible(branch.getByRole('heading', { name: '社区服务点' }));
      await eventually(async () => expect(await text(branch.getByTestId('branch-status'))).toBe('现在闭馆，今天 15:00 开放'));
      expect(await text(branch.getByRole('table', { name: '未来 7 天开放时间' }).getByRole('row').first())).toBe('今天15:00–18:00');
      // The service point's own branch is open.
      await eventually(async () => expect(await text(branch.getByTestId('nearby-open'))).toMatch(/^正午分馆：今天全天开放/));
      await page.waitForFunction(`!document.querySelector('[aria-busy="true"]')`);
      await screenshot(page, 'landing-desk-closed-branch');
      expect(await accessibilityViolations(page)).toEqual([]);
      await branch.getByRole('button', { name: '设为我的馆点' }).click();
      await visible(branch.getByRole('heading', { name: '正午分馆' }));

      await page.reload();
      await visible(branch.getByRole('heading', { name: '正午分馆' }));
      expect(await branch.getByLabel('选择离您近的馆点').locator('option:checked').textContent()).toBe('正午分馆');
      await eventually(async () => expect(await text(branch.getByTestId('branch-status'))).toBe('正在开放，营业至午夜'));
      await page.getByRole('button', { name: 'English' }).click();
      await visible(page.getByRole('heading', { level: 1, name: 'Welcome to the public cultural service platform' }));
      await page.waitForFunction(`!document.querySelector('[aria-busy="true"]')`);
      await screenshot(page, 'landing-desk-english');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('the search box leads to the catalogue results', async () => {
    const [context, page] = await open(PHONE);
    try {
      await page.goto('/');
      await page.getByRole('search').getByLabel('搜索馆藏').fill('乡土中国');
      await page.getByRole('search').getByRole('button', { name: '搜索' }).click();
      await visible(page.getByRole('heading', { level: 1, name: '馆藏检索' }));
      expect(new URL(page.url()).searchParams.get('q')).toBe('乡土中国');
      const hit = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '乡土中国' }) });
      await visible(hit.getByText('区图书馆：1/1 可借'));
      expect(await page.getByLabel('书名、作者、ISBN').inputValue()).toBe('乡土中国');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('residents get the landing page at /, staff their own home as before', async () => {
    const [context, page] = await open(PHONE);
    try {
      const resident = await registerResident(t.http);
      for (const [name, password, lands] of [
        [resident.phone, 'Reader2026', '我的读者证'],
        ['land-lib', 'Desk12345', '借出'],
      ]) {
        await page.goto('/login');
        await page.getByLabel('登录名').fill(name);
        await page.getByLabel('密码').fill(password);
        await page.getByRole('button', { name: '登录', exact: true }).click();
        await visible(page.getByRole('heading', { level: 1, name: lands }));
        if (lands === '借出') {
          // Leave the home page first: the heading and address awaited below then prove that "/" sent the
          // librarian back, rather than matching the page still on screen while the router moves on.
          await page.getByRole('navigation').getByRole('link', { name: '馆藏检索' }).click();
          await visible(page.getByRole('heading', { level: 1, name: '馆藏检索' }));
          await page.getByRole('link', { name: '公共文化服务平台' }).click();
          await page.waitForURL((url) => url.pathname === '/desk/checkout');
          await visible(page.getByRole('heading', { level: 1, name: '借出' }));
        } else {
          await page.getByRole('link', { name: '公共文化服务平台' }).click();
          await visible(page.getByRole('heading', { level: 1, name: '欢迎使用公共文化服务平台' }));
          await visible(page.getByRole('region', { name: '如何办理读者证' }).getByRole('link', { name: '查看我的读者证' }));
          // The resident's menu is still there.
          await visible(page.getByRole('navigation').getByRole('link', { name: '我的读者证' }));
        }
        await page.getByRole('button', { name: /退出/ }).click();
        await visible(page.getByRole('heading', { level: 1, name: '登录' }));
      }
      // An unknown address leads a visitor to the landing page.
      await page.goto('/no-such-page');
      await visible(page.getByRole('heading', { level: 1, name: '欢迎使用公共文化服务平台' }));
    } finally {
      await context.close();
    }
  }, 60_000);
});
