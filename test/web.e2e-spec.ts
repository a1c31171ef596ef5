import { DateTime } from 'luxon';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { bearer, login, registerResident, uniquePhone, testDistrict, everyDay } from './utils/factories';
import { DESK, eventually, launchBrowser, listen, PHONE, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '21:00');
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
    const { library: mk } = await testDistrict(t.http, admin, { name: '网页区', population: 100000, populationYear: 2026 }, EVERY_DAY);
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
      expect(await mine.getByRole('link', { name: '加入日历 社区书法课' }).getAttribute('href')).toBe(`/api/activities/${activityId}/calendar.ics`);
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
      // English mode speaks English punctuation too, and the per-activity calendar link says what it does.
      expect(await text(page.getByRole('button', { name: /Log out/ }))).toBe('Log out (网页读者)');
      await visible(page.getByRole('link', { name: 'Add to calendar 社区书法课' }));
      expect(await page.locator('body').textContent()).not.toMatch(/[：（）、]/);
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

  it('a resident registers, a librarian lends to them at one branch, another takes it back and is told in large letters to send it to the first, and the administrator sees the circulation indicator rise', async () => {
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '红楼梦', authors: ['曹雪芹'] }).expect(201);
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode: 'WEB000001', branchId: branch.A, itemType: 'book' }).expect(201);

    const [adminContext, dashboard] = await open(DESK);
    const [phoneContext, phone] = await open(PHONE);
    const [context, page] = await open(DESK);
    try {
      // The administrator's dashboard before anything happens at the desk.
      await logIn(dashboard, TEST_ADMIN.username, TEST_ADMIN.password);
      await visible(dashboard.getByRole('heading', { name: '指标看板' }));
      // Administrators get notices too (/notifications admits them): the inbox is in their navigation.
      await visible(dashboard.getByRole('navigation').getByRole('link', { name: '消息' }));
      await eventually(async () => expect(await dashboard.getByLabel('区域').locator('option:checked').textContent()).toBe('网页区'));
      const row = dashboard.getByTestId('indicator-table').locator('tr[data-code="circulation_per_volume"]');
      const value = async () => Number((await text(row.getByTestId('value-circulation_per_volume')))!.split(' ')[0]);
      await visible(row);
      const before = await value();
      expect(Number.isFinite(before)).toBe(true);

      // The resident registers on their phone and has a card.
      const phoneNumber = uniquePhone();
      await phone.goto('/register');
      await phone.getByLabel('姓名').fill('借书读者');
      await phone.getByLabel('手机号').fill(phoneNumber);
      await phone.getByLabel('密码').fill('Reader2026');
      await phone.getByRole('button', { name: '注册' }).click();
      await eventually(async () => expect(await text(phone.getByTestId('card-number'))).toMatch(/^\d{12}$/));
      const cardNumber = (await text(phone.getByTestId('card-number')))!;

      // Librarian A lends the copy. The card as a scanner reads it off the resident's phone: the dynamic QR token.
      await logIn(page, 'web-a', 'Desk12345');
      await visible(page.getByRole('heading', { name: '借出' }));
      await visible(page.getByRole('navigation').getByRole('link', { name: '消息' }));
      await eventually(async () => expect(await page.getByLabel('当前馆点').inputValue()).toBe(branch.A));
      const resident = await login(t.http, phoneNumber, 'Reader2026');
      const qr = await t.http().get('/api/me/card/qr').set(bearer(resident.accessToken)).expect(200);
      await page.getByLabel('读者证号或二维码').fill(qr.body.token);
      await page.getByLabel('读者证号或二维码').press('Enter');
      await eventually(async () => expect(await text(page.getByTestId('card-holder'))).toContain(cardNumber));
      expect(await text(page.getByTestId('card-holder'))).toContain('读者：借书读者');
      await eventually(async () => expect(await page.getByLabel('条码').evaluate((el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)).toBe(true));
      await page.getByLabel('条码').fill('WEB000001');
      await page.getByLabel('条码').press('Enter');
      await eventually(async () => expect(await text(page.getByTestId('checkout-results'))).toContain('WEB000001'));
      await screenshot(page, 'desk-checkout');
      await page.getByRole('button', { name: /退出/ }).click();

      // Librarian B takes it back: it belongs to A.
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

      // Back on the administrator's screen: the loan made at the desk moved the circulation indicator.
      await dashboard.getByRole('button', { name: '刷新' }).click();
      await eventually(async () => expect(await value()).toBeGreaterThan(before));
      await screenshot(dashboard, 'admin-indicators');
    } finally {
      await context.close();
      await phoneContext.close();
      await adminContext.close();
    }
  }, 180_000);

  it('a copy returned at the pickup branch goes on the hold shelf, labelled with the reader (masked) and the pickup deadline', async () => {
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '边城', authors: ['沈从文'] }).expect(201);
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode: 'WEB000030', branchId: branch.A, itemType: 'book' }).expect(201);
    const librarianA = (await login(t.http, 'web-a', 'Desk12345')).accessToken;
    const [borrower, waiting] = [await registerResident(t.http), await registerResident(t.http, { name: '欧阳小娜' })];
    await t.http().post('/api/circulation/checkout').set(bearer(librarianA)).send({ cardNumber: borrower.cardNumber, barcode: 'WEB000030' }).expect(201);
    await t.http().post('/api/holds').set(bearer(waiting.accessToken)).send({ recordId: record.body.id, pickupBranchId: branch.A }).expect(201);

    const [context, page] = await open(DESK);
    try {
      await logIn(page, 'web-a', 'Desk12345');
      await page.getByRole('navigation').getByRole('link', { name: '归还' }).click();
      await eventually(async () => expect(await page.getByLabel('当前馆点').inputValue()).toBe(branch.A));
      await page.getByLabel('条码').fill('WEB000030');
      await page.getByLabel('条码').press('Enter');
      const routing = page.getByTestId('routing');
      await eventually(async () => expect(await routing.getAttribute('data-action')).toBe('hold-shelf'));
      // The deadline the resident was given, as the desk shows dates (district time, zh-CN).
      const [hold] = (await t.http().get('/api/me/holds').set(bearer(waiting.accessToken)).expect(200)).body;
      expect(hold.status).toBe('ready');
      const deadline = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium' }).format(new Date(hold.expiresAt));
      expect(deadline).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
      expect(await text(routing.locator('.routing-headline'))).toBe(`预约架：欧**娜（取书截止 ${deadline}）`);
      expect(await text(routing.getByTestId('hold-for'))).toBe(`预约读者：欧**娜，读者证尾号 ${waiting.cardNumber.slice(-4)}`);
      expect(await text(routing)).not.toContain(waiting.phone);
      await screenshot(page, 'desk-checkin-hold-shelf');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the desk receives a copy in transit and is told where it goes next', async () => {
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '呐喊', authors: ['鲁迅'] }).expect(201);
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode: 'WEB000040', branchId: branch.B, itemType: 'book' }).expect(201);
    const librarianA = (await login(t.http, 'web-a', 'Desk12345')).accessToken;
    const reader = await registerResident(t.http);
    await t.http().post('/api/circulation/checkout').set(bearer(librarianA)).send({ cardNumber: reader.cardNumber, barcode: 'WEB000040' }).expect(201);
    const back = await t.http().post('/api/circulation/checkin').set(bearer(librarianA)).send({ barcode: 'WEB000040' }).expect(200);
    expect(back.body).toMatchObject({ action: 'transit', destinationBranchId: branch.B });

    const [context, page] = await open(DESK);
    try {
      await logIn(page, 'web-b', 'Desk12345');
      await page.getByRole('navigation').getByRole('link', { name: '在途' }).click();
      const incoming = page.getByRole('heading', { name: '待接收' }).locator('..');
      const row = incoming.getByRole('row').filter({ hasText: 'WEB000040' });
      await eventually(async () => expect(await text(row)).toContain('东城总馆'));
      await row.getByRole('button', { name: '接收 WEB000040' }).click();
      await visible(incoming.getByRole('status').filter({ hasText: '已接收 WEB000040：上架：本馆' }));
      await row.waitFor({ state: 'detached' });
      await screenshot(page, 'desk-transit-received');
      const copy = (await t.http().get(`/api/catalog/records/${record.body.id}`).expect(200)).body.items[0];
      expect(copy).toMatchObject({ status: 'available', currentBranchId: branch.B });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the desk imports a MARC file and a spreadsheet, and reads which records were refused and why', async () => {
    const [context, page] = await open(DESK);
    try {
      await logIn(page, 'web-a', 'Desk12345');
      await page.getByRole('navigation').getByRole('link', { name: '编目导入' }).click();
      await visible(page.getByRole('heading', { name: /编目导入/ }));
      await page.getByLabel('文件').setInputFiles(require('node:path').join(__dirname, 'fixtures/marc/bib.mrc'));
      await page.getByRole('button', { name: '提交' }).click();
      await eventually(async () => expect(await text(page.getByTestId('import-report'))).toBe('新增 6，更新 0，拒收 0'));

      const csv = ['title,authors,controlNumber,barcode', '朝花夕拾,鲁迅,WEB-CSV-1,WEB000050', ',无名,WEB-CSV-2,'].join('\n');
      await page.getByLabel('文件').setInputFiles({ name: 'records.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await page.getByRole('button', { name: '提交' }).click();
      await eventually(async () => expect(await text(page.getByTestId('import-report'))).toBe('新增 1，更新 0，拒收 1'));
      const refused = page.getByTestId('import-rejections').getByRole('listitem');
      expect(await refused.count()).toBe(1);
      expect(await text(refused)).toMatch(/^第 2 条（控制号 WEB-CSV-2）：.*no title/);
      expect(await text(page.getByTestId('import-rejections'))).not.toContain('{');
      await screenshot(page, 'desk-import');
      const found = await t.http().get('/api/catalog/search').query({ q: '朝花夕拾' }).expect(200);
      expect(found.body.items.map((r: { title: string }) => r.title)).toContain('朝花夕拾');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the activity desk scans a registration code: title, session, masked reader and success; a second scan of it is flagged', async () => {
    const librarianA = (await login(t.http, 'web-a', 'Desk12345')).accessToken;
    const soon = DateTime.now().plus({ minutes: 30 }).startOf('minute');
    const activity = await t.http()
      .post('/api/activities')
      .set(bearer(librarianA))
      .send({ title: '少儿绘本讲读', category: 'reading_event', branchId: branch.A, sessions: [{ startsAt: soon.toISO(), endsAt: soon.plus({ hours: 1 }).toISO(), capacity: 5 }] })
      .expect(201);
    const sessionId = (await t.http().get(`/api/activities/${activity.body.id}`).expect(200)).body.sessions[0].id;
    const reader = await registerResident(t.http, { name: '张晓明' });
    const registration = await t.http().post(`/api/activities/${activity.body.id}/registrations`).set(bearer(reader.accessToken)).send({ sessionId }).expect(201);
    const code = await t.http().get(`/api/registrations/${registration.body.id}/qr`).set(bearer(reader.accessToken)).expect(200);
    const clock = (d: DateTime) => d.setZone('Asia/Shanghai').toFormat('HH:mm');

    const [context, page] = await open(DESK);
    try {
      await logIn(page, 'web-a', 'Desk12345');
      await page.getByRole('navigation').getByRole('link', { name: '活动签到' }).click();
      const scanner = page.getByLabel('报名签到码或读者二维码');
      await scanner.fill(code.body.token);
      await scanner.press('Enter');
      const result = page.getByTestId('checkin-result');
      await eventually(async () => expect(await result.getAttribute('data-already')).toBe('false'));
      expect(await text(result.locator('.routing-headline'))).toBe('✓ 签到成功：少儿绘本讲读');
      expect(await text(result.getByTestId('checkin-reader'))).toBe('读者：张*明');
      const session = (await text(result.getByTestId('checkin-session')))!;
      expect(session).toMatch(new RegExp(`^场次：.*${clock(soon)}–${clock(soon.plus({ hours: 1 }))}$`));
      await screenshot(page, 'desk-activity-checkin');

      // The same code again (a second person with a copied code, or a double scan): a warning, nothing counted twice.
      await scanner.fill(code.body.token);
      await scanner.press('Enter');
      await eventually(async () => expect(await result.getAttribute('data-already')).toBe('true'));
      expect(await text(result.locator('.routing-headline'))).toBe('⚠ 已签到过：少儿绘本讲读');
      expect(await text(result.getByTestId('checkin-reader'))).toBe('读者：张*明');
      expect(await text(result.getByTestId('checkin-session'))).toBe(session);
      await visible(page.getByRole('alert').filter({ hasText: '本次未重复记录' }));
      await screenshot(page, 'desk-activity-checkin-again');
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

  it('an administrator reads the indicators against their targets, drills down by branch and exports', async () => {
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '骆驼祥子', authors: ['老舍'] }).expect(201);
    for (const barcode of ['WEB000010', 'WEB000011']) {
      await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode, branchId: branch.B, itemType: 'book' }).expect(201);
    }
    const librarianB = (await login(t.http, 'web-b', 'Desk12345')).accessToken;
    const reader = await registerResident(t.http);
    await t.http().post('/api/circulation/checkout').set(bearer(librarianB)).send({ cardNumber: reader.cardNumber, barcode: 'WEB000010' }).expect(201);

    const [context, page] = await open(DESK);
    try {
      await logIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
      await visible(page.getByRole('heading', { name: '指标看板' }));
      await eventually(async () => expect(await page.getByLabel('区域').locator('option:checked').textContent()).toBe('网页区'));
      const row = page.getByTestId('indicator-table').locator('tr[data-code="circulation_per_volume"]');
      await visible(row);
      const compliance = await text(page.getByTestId('compliance-rate'));
      expect(compliance).toMatch(/^\d+(\.\d+)?%$/);
      // A loan at B exists (set up above), so the indicator has a value and a status against its target.
      expect(Number((await text(row.getByTestId('value-circulation_per_volume')))!.split(' ')[0])).toBeGreaterThan(0);
      expect(await text(row.locator('.badge'))).toMatch(/^(达标|未达标)$/);
      await screenshot(page, 'admin-indicators-table');

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
    const region = (await t.http().get('/api/branches/' + branch.A).expect(200)).body.regionId;
    await t.http().post('/api/branches').set(bearer(admin)).send({ name: '南苑服务点', kind: 'service_point', level: 'service_point', regionId: region, openingHours: EVERY_DAY }).expect(201);
    const [context, page] = await open(DESK);
    try {
      await logIn(page, TEST_ADMIN.username, TEST_ADMIN.password);
      await page.getByRole('navigation').getByRole('link', { name: '馆点' }).click();
      await visible(page.getByRole('heading', { name: '馆点' }));
      await eventually(async () => expect(await text(page.getByRole('row').filter({ hasText: '西街分馆' }))).toContain('东城总馆'));
      await screenshot(page, 'admin-branches');

      // Weekly opening hours: every day 08:00–21:00 (91 h) becomes closed on Sunday and split on Saturday (13 × 5 + 3 + 3 = 71 h).
      const south = page.getByRole('row').filter({ hasText: '南苑服务点' });
      await eventually(async () => expect(await text(south.locator('td.num'))).toBe('91'));
      await page.getByLabel('要修改的馆点').selectOption({ label: '南苑服务点' });
      const editor = page.getByRole('form', { name: '修改馆点：南苑服务点' });
      expect(await editor.getByLabel('周一开放时间').inputValue()).toBe('08:00-21:00');
      await editor.getByLabel('周六开放时间').fill('09:00-12:00，14:00-17:00');
      await editor.getByLabel('周日开放时间').fill('');
      await editor.getByLabel('面积（㎡）').fill('260');
      await editor.getByRole('button', { name: '保存' }).click();
      await visible(editor.getByRole('status').filter({ hasText: '已保存' }));
      await eventually(async () => expect(await text(south.locator('td.num'))).toBe('71'));
      const saved = (await t.http().get('/api/branches').query({ pageSize: 200 }).expect(200)).body.items.find((b: { name: string }) => b.name === '南苑服务点');
      expect(saved.floorArea).toBe(260);
      expect(saved.openingHours.filter((h: { weekday: number }) => h.weekday === 6).map((h: { opens: string; closes: string }) => `${h.opens}-${h.closes}`).sort()).toEqual(['09:00-12:00', '14:00-17:00']);
      expect(saved.openingHours.some((h: { weekday: number }) => h.weekday === 7)).toBe(false);
      // A time it cannot read is named, and nothing is sent.
      await editor.getByLabel('周一开放时间').fill('9点到5点');
      await editor.getByRole('button', { name: '保存' }).click();
      await visible(editor.getByRole('alert').filter({ hasText: '开放时间格式不对：周一' }));
      await screenshot(page, 'admin-branch-edit');

      await page.getByRole('navigation').getByRole('link', { name: '工作人员' }).click();
      const form = page.locator('form');
      await form.getByLabel('账号').fill('web-new');
      await form.getByLabel('姓名').fill('新馆员');
      await form.getByLabel('初始密码').fill('Desk12345');
      await form.getByLabel('所属馆点').selectOption({ label: '西街分馆' });
      await form.getByRole('button', { name: '新增' }).click();
      await eventually(async () => expect(await text(page.getByRole('row').filter({ hasText: 'web-new' }))).toContain('西街分馆'));
      await screenshot(page, 'admin-staff');

      // The account is renamed and also acts at the central library.
      await page.getByLabel('要修改的账号').selectOption({ label: 'web-new' });
      const account = page.getByRole('form', { name: '修改账号：web-new' });
      await account.getByLabel('姓名').fill('新馆员乙');
      await account.getByRole('checkbox', { name: '东城总馆' }).check();
      await account.getByRole('button', { name: '保存' }).click();
      await visible(account.getByRole('status').filter({ hasText: '已保存' }));
      const edited = page.getByRole('row').filter({ hasText: 'web-new' });
      await eventually(async () => expect(await text(edited)).toContain('新馆员乙'));
      expect(await text(edited)).toContain('东城总馆');
      expect(await text(edited)).toContain('西街分馆');
      const newLibrarian = await login(t.http, 'web-new', 'Desk12345');
      expect((await t.http().get('/api/me').set(bearer(newLibrarian.accessToken)).expect(200)).body.branchIds.sort()).toEqual([branch.A, branch.B].sort());
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
