import { DateTime } from 'luxon';
import { Browser, Page } from 'playwright-core';
import { bearer, login, registerResident } from './utils/factories';
import { accessibilityViolations, DESK, launchBrowser, listen, PHONE } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const LANDING = '欢迎使用公共文化服务平台';
const at = (days: number, clock: string) =>
  DateTime.now().setZone('Asia/Shanghai').startOf('day').plus({ days }).set({ hour: Number(clock.slice(0, 2)), minute: 0 }).toISO({ suppressMilliseconds: true })!;

/**
 * Every main page passes axe-core's WCAG 2.1 A/AA rules (labels, accessible names, colour contrast …)
 * and fits the screen at 360 px, in normal and large text (desk and admin pages also at desk width),
 * and the login can be used from the keyboard alone.
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

  async function signedOut(options: typeof PHONE | typeof DESK, largeText = false): Promise<Page> {
    const context = await browser.newContext({ ...options, baseURL: base });
    const page = await context.newPage();
    if (largeText) await page.addInitScript(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('culture.largeText', '1'));
    return page;
  }

  async function signedIn(options: typeof PHONE | typeof DESK, name: string, password: string, largeText = false): Promise<Page> {
    const page = await signedOut(options, largeText);
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
      await check(page, '/', LANDING, '[data-testid="branch-now"]');
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

  it('the landing page, signed out, at 360 px in normal and large text', async () => {
    for (const large of [false, true]) {
      const page = await signedOut(PHONE, large);
      await check(page, '/', LANDING, '[data-testid="branch-now"]');
      await page.locator('[data-testid="landing-activities"] li').first().waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await fitsWidth(page, large ? '/ (large text)' : '/', 360);
      await page.context().close();
    }
  }, 60_000);

  /** Nothing is wider than the screen (tables scroll inside their own box). */
  async function fitsWidth(page: Page, path: string, width: number) {
    const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    expect({ path, overflowPx: Math.max(0, scrollWidth - width) }).toEqual({ path, overflowPx: 0 });
  }

  const variants = [
    { label: 'desk', options: DESK, large: false },
    { label: '360 px', options: PHONE, large: false },
    { label: '360 px, large text', options: PHONE, large: true },
  ];

  it.each(variants)('desk and admin pages ($label)', async ({ options, large }) => {
    const width = options.viewport.width;
    const desk = await signedIn(options, 'a11y-lib', 'Desk12345', large);
    for (const [path, heading] of [
      ['/desk/checkout', '借出'],
      ['/desk/checkin', '归还'],
      ['/desk/transits', '在途'],
      ['/desk/hold-shelf', '预约架'],
      ['/desk/inventory', '盘点'],
      ['/desk/fines', '罚款'],
      ['/desk/bookings', '场馆预约审批'],
      ['/desk/import', '编目导入（MARC / MARCXML / CSV）'],
      ['/desk/activity-checkin', '活动签到'],
      ['/notifications', '消息'],
    ]) {
      await check(desk, path, heading);
      await fitsWidth(desk, path, width);
    }
    await desk.context().close();
    const admin = await signedIn(options, TEST_ADMIN.username, TEST_ADMIN.password, large);
    for (const [path, heading, content] of [
      ['/admin/indicators', '指标看板', '[data-testid="indicator-table"] tbody tr'],
      ['/admin/branches', '馆点', 'table tbody tr'],
      ['/admin/regions', '区域'],
      ['/admin/staff', '工作人员'],
      ['/admin/policies', '流通规则'],
      ['/services', '服务菜单'],
      ['/satisfaction', '满意度'],
    ]) {
      await check(admin, path, heading, content);
      await fitsWidth(admin, path, width);
    }
    // The editors, open.
    await check(admin, '/admin/branches', '馆点', 'table tbody tr');
    await admin.getByLabel('要修改的馆点').selectOption({ label: '无障碍馆' });
    await admin.getByRole('form', { name: '修改馆点：无障碍馆' }).waitFor();
    expect(await accessibilityViolations(admin)).toEqual([]);
    await fitsWidth(admin, '/admin/branches (editing)', width);
    await check(admin, '/admin/staff', '工作人员', 'table tbody tr');
    await admin.getByLabel('要修改的账号').selectOption({ label: 'a11y-lib' });
    await admin.getByRole('form', { name: '修改账号：a11y-lib' }).waitFor();
    expect(await accessibilityViolations(admin)).toEqual([]);
    await fitsWidth(admin, '/admin/staff (editing)', width);
    await admin.context().close();
  }, 240_000);

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
