import { DateTime } from 'luxon';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { bearer, login, registerResident, uniquePhone } from './utils/factories';
import { DESK, eventually, launchBrowser, listen, PHONE, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' }));
const at = (days: number, clock: string) =>
  DateTime.now().setZone('Asia/Shanghai').startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: Number(clock.slice(3, 5)) }).toISO({ suppressMilliseconds: true })!;

/**
 * The web app in real headless Chromium against the real API, PostgreSQL and Redis: what a resident,
 * a librarian and an administrator do, through the pages only. Screenshots go to test-results/screenshots.
 */
const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });
const text = async (l: Locator) => (await l.textContent())?.trim();

describe('web app in a browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  const branch = { A: '', B: '' };
  let activityId: string;
  let venueId: string;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '网页区', kind: 'district', population: 100000, populationYear: 2026 }).expect(201);
    const mk = async (name: string, level: string, parentId?: string) =>
      (
        await t.http()
          .post('/api/branches')
          .set(bearer(admin))
          .send({ name, kind: 'library', level, regionId: district.body.id, parentId, sharedCirculation: true, openingHours: EVERY_DAY })
          .expect(201)
      ).body.id as string;
    branch.A = await mk('东城总馆', 'central');
    branch.B = await mk('西街分馆', 'branch', branch.A);
    for (const [k, id] of Object.entries(branch)) {
      await t.http().post('/api/staff').set(bearer(admin)).send({ username: `web-${k.toLowerCase()}`, password: 'Desk12345', name: `馆员${k}`, role: 'librarian', branchIds: [id] }).expect(201);
    }
    const librarianA = (await login(t.http, 'web-a', 'Desk12345')).accessToken;
    const activity = await t.http()
      .post('/api/activities')
      .set(bearer(librarianA))
      .send({ title: '社区书法课', category: 'class', branchId: branch.A, sessions: [{ startsAt: at(3, '14:00'), endsAt: at(3, '16:00'), capacity: 12 }] })
      .expect(201);
    activityId = activity.body.id;
    venueId = (await t.http().post('/api/venues').set(bearer(librarianA)).send({ name: '多功能活动室', kind: 'room', capacity: 30, minMinutes: 60, maxMinutes: 180 }).expect(201)).body.id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(options: typeof PHONE | typeof DESK): Promise<[BrowserContext, Page]> {
    const context = await browser.newContext({ ...options, baseURL: base });
    const page = await context.newPage();
    return [context, page];
  }

  async function logIn(page: Page, name: string, password: string) {
    await page.goto('/login');
    await page.getByLabel('登录名').fill(name);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
  }

  it('a resident registers, gets a card, registers for an activity, watches seats change and finds it in their list', async () => {
    const [context, page] = await open(PHONE);
    try {
      await page.goto('/register');
      await page.getByLabel('姓名').fill('网页读者');
      await page.getByLabel('手机号').fill(uniquePhone());
      await page.getByLabel('密码').fill('Reader2026');
      await page.getByRole('button', { name: '注册' }).click();

      await visible(page.getByRole('heading', { name: '我的读者证' }));
      await eventually(async () => expect(await text(page.getByTestId('card-number'))).toMatch(/^\d{12}$/));
      await visible(page.getByRole('img', { name: /二维码/ }));
      await screenshot(page, 'resident-card');

      await page.getByRole('navigation').getByRole('link', { name: '活动报名' }).click();
      await page.getByRole('link', { name: '社区书法课' }).click();
      await eventually(async () => expect(await text(page.getByTestId('seats-left'))).toBe('剩余 12 席'));

      // Someone else takes a seat: the page shows it without being reloaded.
      const other = await registerResident(t.http);
      const session = (await t.http().get(`/api/activities/${activityId}`).expect(200)).body.sessions[0].id;
      await t.http().post(`/api/activities/${activityId}/registrations`).set(bearer(other.accessToken)).send({ sessionId: session }).expect(201);
      await eventually(async () => expect(await text(page.getByTestId('seats-left'))).toBe('剩余 11 席'), 20_000);

      await page.getByRole('button', { name: '报名' }).click();
      await visible(page.getByRole('status').filter({ hasText: '报名成功' }));
      await eventually(async () => expect(await text(page.getByTestId('seats-left'))).toBe('剩余 10 席'));
      await screenshot(page, 'resident-activity');

      await page.getByRole('navigation').getByRole('link', { name: '我的预约' }).click();
      const mine = page.getByTestId('my-registrations');
      await visible(mine.getByRole('link', { name: '社区书法课' }));
      await visible(mine.getByText('已确认'));
      await eventually(async () => expect(await page.getByRole('link', { name: /添加到日历/ }).getAttribute('href')).toMatch(/^webcal:.*\.ics$/));
      await screenshot(page, 'resident-mine');

      // The registration can be cancelled from the list.
      await mine.getByRole('button', { name: '取消 社区书法课' }).click();
      await visible(mine.getByText('已取消'));

      // The venue grid: pick two free slots and book them.
      await page.goto(`/venues/${venueId}`);
      await page.getByRole('button', { name: 'Next week' }).or(page.getByRole('button', { name: '后一周' })).click();
      const free = page.locator('td.slot.free button');
      await visible(free.first());
      const first = free.first();
      const label = (await first.getAttribute('aria-label'))!;
      const [date, span] = label.split(' ');
      const next = span.split('–')[1];
      await first.click();
      await page.getByRole('button', { name: `${date} ${next}–` , exact: false }).first().click();
      await page.getByLabel('用途').fill('读书会');
      await screenshot(page, 'resident-venue-grid');
      await page.getByRole('button', { name: '预约', exact: true }).click();
      await visible(page.getByRole('status').filter({ hasText: '预约已提交' }));
      await page.getByRole('navigation').getByRole('link', { name: '我的预约' }).click();
      await visible(page.getByRole('link', { name: '读书会' }));

      // English and large text.
      await page.getByRole('button', { name: '大字模式' }).click();
      await eventually(async () => expect(await page.locator('html').getAttribute('class')).toMatch(/large-text/));
      await page.getByRole('button', { name: 'English' }).click();
      await visible(page.getByRole('heading', { name: 'My bookings' }));
      await eventually(async () => expect(await page.locator('html').getAttribute('lang')).toBe('en'));
      await screenshot(page, 'resident-mine-english-large');
    } finally {
      await context.close();
    }
  }, 180_000);

  it('a resident finds a title, places and cancels a hold, and renews a loan', async () => {
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '活着', authors: ['余华'] }).expect(201);
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode: 'WEB000020', branchId: branch.A, itemType: 'book' }).expect(201);
    const other = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '许三观卖血记', authors: ['余华'] }).expect(201);
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: other.body.id, barcode: 'WEB000021', branchId: branch.A, itemType: 'book' }).expect(201);
    const reader = await registerResident(t.http);
    const librarianA = (await login(t.http, 'web-a', 'Desk12345')).accessToken;
    await t.http().post('/api/circulation/checkout').set(bearer(librarianA)).send({ cardNumber: reader.cardNumber, barcode: 'WEB000021' }).expect(201);

    const [context, page] = await open(PHONE);
    try {
      await logIn(page, reader.phone, 'Reader2026');
      await visible(page.getByRole('heading', { name: '我的读者证' }));
      await page.getByRole('navigation').getByRole('link', { name: '馆藏检索' }).click();
      await page.getByLabel('书名、作者、ISBN').fill('活着');
      await page.getByRole('button', { name: '搜索' }).click();
      const hit = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '活着' }) });
      await visible(hit.getByText('东城总馆：1/1 可借'));
      await hit.getByLabel('取书馆点').selectOption({ label: '西街分馆' });
      await hit.getByRole('button', { name: '预约' }).click();
      await visible(hit.getByRole('status').filter({ hasText: '已预约' }));
      await screenshot(page, 'resident-catalogue');

      await page.getByRole('navigation').getByRole('link', { name: '借阅与预约' }).click();
      const loan = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '许三观卖血记' }) });
      await loan.getByRole('button', { name: '续借 许三观卖血记' }).click();
      await visible(loan.getByRole('status').filter({ hasText: '已续借' }));
      const hold = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '活着' }) });
      await visible(hold.getByText('西街分馆'));
      await screenshot(page, 'resident-loans');
      await hold.getByRole('button', { name: '取消预约 活着' }).click();
      await hold.waitFor({ state: 'detached' });
      expect((await t.http().get('/api/me/holds').set(bearer(reader.accessToken)).expect(200)).body).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('a librarian lends at one branch, another takes it back and is told in large letters to send it to the first', async () => {
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '红楼梦', authors: ['曹雪芹'] }).expect(201);
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode: 'WEB000001', branchId: branch.A, itemType: 'book' }).expect(201);
    const reader = await registerResident(t.http);

    const [context, page] = await open(DESK);
    try {
      await logIn(page, 'web-a', 'Desk12345');
      await visible(page.getByRole('heading', { name: '借出' }));
      await eventually(async () => expect(await page.getByLabel('当前馆点').inputValue()).toBe(branch.A));
      // The card as a scanner reads it off the resident's phone: the dynamic QR token.
      const qr = await t.http().get('/api/me/card/qr').set(bearer(reader.accessToken)).expect(200);
      await page.getByLabel('读者证号或二维码').fill(qr.body.token);
      await page.getByLabel('读者证号或二维码').press('Enter');
      await eventually(async () => expect(await text(page.getByTestId('card-holder'))).toContain(reader.cardNumber));
      expect(await text(page.getByTestId('card-holder'))).toContain('测试读者');
      await eventually(async () => expect(await page.getByLabel('条码').evaluate((el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)).toBe(true));
      await page.getByLabel('条码').fill('WEB000001');
      await page.getByLabel('条码').press('Enter');
      await eventually(async () => expect(await text(page.getByTestId('checkout-results'))).toContain('WEB000001'));
      await screenshot(page, 'desk-checkout');
      await page.getByRole('button', { name: /退出/ }).click();

      await logIn(page, 'web-b', 'Desk12345');
      await page.getByRole('navigation').getByRole('link', { name: '归还' }).click();
      await eventually(async () => expect(await page.getByLabel('当前馆点').inputValue()).toBe(branch.B));
      await page.getByLabel('条码').fill('WEB000001');
      await page.getByLabel('条码').press('Enter');
      const routing = page.getByTestId('routing');
      await eventually(async () => expect(await routing.getAttribute('data-action')).toBe('transit'));
      await eventually(async () => expect(await text(routing.locator('.routing-headline'))).toBe('送往：东城总馆'));
      const size = await routing.locator('.routing-headline').evaluate((el) => parseFloat((el.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize));
      expect(size).toBeGreaterThanOrEqual(32);
      await screenshot(page, 'desk-checkin-send-to-branch');

      await page.getByRole('navigation').getByRole('link', { name: '在途' }).click();
      await eventually(async () => expect(await text(page.getByRole('row').filter({ hasText: 'WEB000001' }))).toContain('东城总馆'));
      await screenshot(page, 'desk-transits');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the desk approves a venue booking and sees a held copy on the hold shelf', async () => {
    const librarianA = (await login(t.http, 'web-a', 'Desk12345')).accessToken;
    const hall = (await t.http().post('/api/venues').set(bearer(librarianA)).send({ name: '报告厅', kind: 'hall', capacity: 120, requiresApproval: true }).expect(201)).body.id;
    const reader = await registerResident(t.http, { name: '预约读者' });
    const booking = await t.http().post(`/api/venues/${hall}/bookings`).set(bearer(reader.accessToken)).send({ startsAt: at(4, '09:00'), endsAt: at(4, '10:00'), purpose: '合唱排练' }).expect(201);
    expect(booking.body.status).toBe('pending');
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '围城', authors: ['钱锺书'] }).expect(201);
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode: 'WEB000002', branchId: branch.A, itemType: 'book' }).expect(201);
    await t.http().post('/api/holds').set(bearer(reader.accessToken)).send({ recordId: record.body.id, pickupBranchId: branch.A }).expect(201);

    const [context, page] = await open(DESK);
    try {
      await logIn(page, 'web-a', 'Desk12345');
      await page.getByRole('navigation').getByRole('link', { name: '场馆审批' }).click();
      const pending = page.getByTestId('pending-bookings').getByRole('listitem').filter({ hasText: '合唱排练' });
      await visible(pending);
      await screenshot(page, 'desk-booking-approvals');
      await pending.getByRole('button', { name: /^批准/ }).click();
      await pending.waitFor({ state: 'detached' });
      const mine = await t.http().get('/api/me/bookings').set(bearer(reader.accessToken)).expect(200);
      expect(mine.body.find((b: { id: string }) => b.id === booking.body.id).status).toBe('confirmed');

      await page.getByRole('navigation').getByRole('link', { name: '预约架' }).click();
      const row = page.getByTestId('hold-shelf').getByRole('row').filter({ hasText: 'WEB000002' });
      await eventually(async () => expect(await text(row)).toContain('预约读者'));
      expect(await text(row)).toContain(reader.cardNumber);
      await screenshot(page, 'desk-hold-shelf');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('an administrator sees an indicator change after a loan at the desk, drills down and exports', async () => {
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '骆驼祥子', authors: ['老舍'] }).expect(201);
    for (const barcode of ['WEB000010', 'WEB000011']) {
      await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode, branchId: branch.B, itemType: 'book' }).expect(201);
    }
    const librarianB = (await login(t.http, 'web-b', 'Desk12345')).accessToken;
    const reader = await registerResident(t.http);

    const [context, page] = await open(DESK);
    try {
      await logIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
      await visible(page.getByRole('heading', { name: '指标看板' }));
      await eventually(async () => expect(await page.getByLabel('区域').locator('option:checked').textContent()).toBe('网页区'));
      const row = page.getByTestId('indicator-table').locator('tr[data-code="circulation_per_volume"]');
      const value = async () => Number((await text(row.getByTestId('value-circulation_per_volume')))!.split(' ')[0]);
      await visible(row);
      const before = await value();
      const compliance = await text(page.getByTestId('compliance-rate'));
      expect(compliance).toMatch(/^\d+(\.\d+)?%$/);

      // A loan at the desk (the platform's own data) moves the circulation indicator.
      await t.http().post('/api/circulation/checkout').set(bearer(librarianB)).send({ cardNumber: reader.cardNumber, barcode: 'WEB000010' }).expect(201);
      await page.getByRole('button', { name: '刷新' }).click();
      await eventually(async () => expect(await value()).toBeGreaterThan(before));
      expect(await text(row.locator('.badge'))).toMatch(/^(达标|未达标)$/);
      await screenshot(page, 'admin-indicators');

      // Drill down: trend chart and the breakdown by branch.
      await row.getByRole('button', { name: '年图书流通率' }).click();
      const panel = page.getByTestId('indicator-panel');
      await visible(panel.getByTestId('trend-chart').locator('canvas'));
      await panel.getByLabel('细分').selectOption({ label: '按馆点' });
      await eventually(async () => expect(await text(panel.getByTestId('breakdown'))).toContain('西街分馆'));
      await screenshot(page, 'admin-indicator-detail');

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: '导出 CSV' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/\.csv$/);
      const content = require('node:fs').readFileSync(await file.path(), 'utf8') as string;
      expect(content).toContain('年图书流通率');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('an administrator manages branches and staff through the pages', async () => {
    const [context, page] = await open(DESK);
    try {
      await logIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
      await page.getByRole('navigation').getByRole('link', { name: '馆点' }).click();
      await visible(page.getByRole('heading', { name: '馆点' }));
      await eventually(async () => expect(await text(page.getByRole('row').filter({ hasText: '西街分馆' }))).toContain('东城总馆'));
      await screenshot(page, 'admin-branches');

      await page.getByRole('navigation').getByRole('link', { name: '工作人员' }).click();
      const form = page.locator('form');
      await form.getByLabel('账号').fill('web-new');
      await form.getByLabel('姓名').fill('新馆员');
      await form.getByLabel('初始密码').fill('Desk12345');
      await form.getByLabel('所属馆点').selectOption({ label: '西街分馆' });
      await form.getByRole('button', { name: '新增' }).click();
      await eventually(async () => expect(await text(page.getByRole('row').filter({ hasText: 'web-new' }))).toContain('西街分馆'));
      await screenshot(page, 'admin-staff');
      await page.getByRole('navigation').getByRole('link', { name: '流通规则' }).click();
      await visible(page.getByRole('rowheader', { name: '全网默认' }));
      await screenshot(page, 'admin-policies');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('serves the page for app paths and never for the API', async () => {
    const page = await fetch(`${base}/desk/checkin`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const api = await fetch(`${base}/api/no-such-thing`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
