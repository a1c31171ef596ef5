import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { bearer, login, registerResident } from './utils/factories';
import { accessibilityViolations, DESK, launchBrowser, listen, PHONE } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const at = (days: number, clock: string) =>
  DateTime.now().setZone('Asia/Shanghai').startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: 0 }).toISO({ suppressMilliseconds: true })!;

/**
 * Every main page passes axe-core's WCAG 2.1 A/AA rules (labels, accessible names, colour contrast …),
 * at 360 px for residents and in large-text mode, and can be used from the keyboard alone.
 */
describe('web app accessibility', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let activityId: string;
  let venueId: string;
  let resident: { phone: string };

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    const admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const region = (await t.http().post('/api/regions').set(bearer(admin)).send({ name: '无障碍区', kind: 'district' }).expect(201)).body.id;
    const branchId = (
      await t.http()
        .post('/api/branches')
        .set(bearer(admin))
        .send({ name: '无障碍馆', kind: 'library', level: 'central', regionId: region, openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '09:00', closes: '18:00' })) })
        .expect(201)
    ).body.id;
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'a11y-lib', password: 'Desk12345', name: '馆员', role: 'librarian', branchIds: [branchId] }).expect(201);
    activityId = (
      await t.http()
        .post('/api/activities')
        .set(bearer(admin))
        .send({ title: '读书会', category: 'reading_event', branchId, sessions: [{ startsAt: at(2, '10:00'), endsAt: at(2, '11:00'), capacity: 20 }] })
        .expect(201)
    ).body.id;
    venueId = (await t.http().post('/api/venues').set(bearer(admin)).send({ branchId, name: '研讨室', kind: 'room', capacity: 10 }).expect(201)).body.id;
    resident = await registerResident(t.http);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(options: typeof PHONE | typeof DESK, name: string, password: string, largeText = false): Promise<Page> {
    const context = await browser.newContext({ ...options, baseURL: base });
    const page = await context.newPage();
    if (largeText) await page.addInitScript(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('culture.largeText', '1'));
    await page.goto('/login');
    await page.getByLabel('登录名').fill(name);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('button', { name: /退出/ }).waitFor();
    return page;
  }

  async function check(page: Page, path: string, ready: string, content?: string) {
    await page.goto(path);
    await page.getByRole('heading', { level: 1, name: ready }).waitFor();
    if (content) await page.locator(content).first().waitFor();
    await page.waitForFunction(`!document.querySelector('[aria-busy="true"]')`);
    expect({ path, violations: await accessibilityViolations(page) }).toEqual({ path, violations: [] });
  }

  it('resident pages at 360 px, in normal and large text', async () => {
    for (const large of [false, true]) {
      const page = await signedIn(PHONE, resident.phone, 'Reader2026', large);
      expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { className: string } } }).document.documentElement.className)).toBe(large ? 'large-text' : '');
      await check(page, '/card', '我的读者证');
      await check(page, '/catalogue', '馆藏检索');
      await check(page, '/loans', '借阅与预约');
      await check(page, '/activities', '活动报名');
      await check(page, `/activities/${activityId}`, '读书会');
      await check(page, `/venues/${venueId}`, '研讨室');
      await check(page, '/mine', '我的预约');
      await check(page, '/notifications', '消息');
      await check(page, '/demands', '群众需求');
      // Nothing is wider than the phone.
      expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.context().close();
    }
  }, 180_000);

  it('desk and admin pages', async () => {
    const desk = await signedIn(DESK, 'a11y-lib', 'Desk12345');
    await check(desk, '/desk/checkout', '借出');
    await check(desk, '/desk/checkin', '归还');
    await check(desk, '/desk/transits', '在途');
    await check(desk, '/desk/hold-shelf', '预约架');
    await check(desk, '/desk/bookings', '场馆预约审批');
    await check(desk, '/desk/import', '编目导入（MARC / MARCXML / CSV）');
    await check(desk, '/desk/activity-checkin', '活动签到');
    await desk.context().close();
    const admin = await signedIn(DESK, TEST_ADMIN.username, TEST_ADMIN.password);
    await check(admin, '/admin/indicators', '指标看板', '[data-testid="indicator-table"] tbody tr');
    await check(admin, '/admin/branches', '馆点', 'table tbody tr');
    await check(admin, '/admin/regions', '区域');
    await check(admin, '/admin/staff', '工作人员');
    await check(admin, '/admin/policies', '流通规则');
    await check(admin, '/services', '服务菜单');
    await check(admin, '/satisfaction', '满意度');
    await admin.context().close();
  }, 180_000);

  it('the login and registration work from the keyboard alone', async () => {
    const context = await browser.newContext({ ...PHONE, baseURL: base });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('登录名').waitFor();
    // The first Tab reaches the skip link (to the main content).
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent)).toBe('跳到主要内容');
    await page.getByLabel('登录名').focus();
    await page.keyboard.type(resident.phone);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Reader2026');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '我的读者证' }).waitFor();
    await context.close();
  }, 60_000);
});
