import { DateTime } from 'luxon';
import { Browser, Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DemoSeeder } from '../apps/api/src/demo/demo-seeder';
import { DEMO_FLASH_CLASS_TITLE } from '../apps/api/src/demo/demo-programme';
import { DESK, eventually, launchBrowser, listen, PHONE, screenshot } from './utils/browser';
import { startTestApp, TestApp } from './utils/test-app';

const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });
const text = async (l: Locator) => (await l.textContent())?.trim();
const OVERALL = '总体';
const day = (n: number) => DateTime.now().setZone('Asia/Shanghai').plus({ days: n }).toISODate()!;

/**
 * The README's tour ("A first tour"), step by step on the demo district exactly as `npm start` loads it,
 * with the demo accounts the README names. If this test needs a change, so does the README.
 */
describe('the README tour on the demo data', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let db: DataSource;
  let cards: Map<string, string>;

  beforeAll(async () => {
    // The demo's own administrator account, as `npm start` creates it in development.
    t = await startTestApp({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'Admin12345' });
    await t.app.get(DemoSeeder).seed();
    cards = new Map((await t.app.get(DemoSeeder).residentCards()).map((r) => [r.phone, r.cardNumber!]));
    db = t.app.get(DataSource);
    base = await listen(t);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function session(options: typeof DESK | typeof PHONE, login?: string, password?: string): Promise<Page> {
    const context = await browser.newContext({ ...options, baseURL: base });
    const page = await context.newPage();
    await page.goto('/');
    if (login) {
      await page.getByRole('link', { name: '登录' }).first().click();
      await page.getByLabel('登录名').fill(login);
      await page.getByLabel('密码').fill(password!);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await visible(page.getByRole('button', { name: /退出/ }));
    }
    return page;
  }

  it('1. a resident (刘洋) watches the popular class open and registers in its first seconds', async () => {
    const page = await session(PHONE);
    // The landing page, without logging in: the class leads the activities, with its opening time.
    const first = page.getByTestId('landing-activities').getByRole('listitem').first();
    await visible(first);
    expect(await text(first.getByRole('heading'))).toBe(DEMO_FLASH_CLASS_TITLE);
    expect(await text(first)).toMatch(/开始报名/);
    await screenshot(page, 'tour-1-landing');

    await page.getByRole('link', { name: '登录' }).first().click();
    await page.getByLabel('登录名').fill('13800000004');
    await page.getByLabel('密码').fill('Reader2026');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await visible(page.getByRole('button', { name: /退出/ }));
    await page.getByRole('navigation').getByRole('link', { name: '活动报名' }).click();
    await page.getByRole('link', { name: DEMO_FLASH_CLASS_TITLE }).click();

    // Registration opens a few minutes after the demo is loaded: the page counts down and the button waits.
    const window = page.getByTestId('registration-window');
    await eventually(async () => expect(await text(window)).toMatch(/开始报名，还有 \d+:\d\d$/));
    const register = page.getByRole('button', { name: '报名' });
    expect(await register.isDisabled()).toBe(true);
    await screenshot(page, 'tour-1-countdown');

    // The test does not sit through the demo's four minutes: it brings the opening to ten seconds from now
    // (the page is reloaded to read it), then waits for the countdown to end as a resident would.
    await db.query(`UPDATE activity SET registration_opens_at = now() + interval '10 seconds' WHERE title = $1`, [DEMO_FLASH_CLASS_TITLE]);
    await page.reload();
    await eventually(async () => expect(await text(window)).toMatch(/开始报名，还有 0:\d\d$/));
    const seats = page.getByTestId('seats-left').first();
    const before = Number((await text(seats))!.match(/\d+/)![0]);
    await eventually(async () => expect(await register.isEnabled()).toBe(true), 30_000);
    await register.click();
    await visible(page.getByRole('status').filter({ hasText: '报名成功' }));
    await eventually(async () => expect(await text(seats)).toBe(`剩余 ${before - 1} 席`));
    expect(await text(window)).toMatch(/^报名已于 .+ 开始$/);
    await screenshot(page, 'tour-1-registered');
  }, 120_000);

  it('2. a librarian lends 三国演义 (HD0000003) at 中关村, and the central library takes it back and sends it home', async () => {
    const zgc = await session(DESK, 'lib-zgc', 'Demo12345');
    await visible(zgc.getByRole('heading', { name: '借出' }));
    await zgc.getByLabel('当前馆点').selectOption({ label: '中关村街道图书分馆' });
    await zgc.getByLabel('读者证号或二维码').fill(cards.get('13800000001')!);
    await zgc.getByLabel('读者证号或二维码').press('Enter');
    await eventually(async () => expect(await text(zgc.getByTestId('card-holder'))).toContain('读者：张伟'));
    await zgc.getByLabel('条码').fill('HD0000003');
    await zgc.getByLabel('条码').press('Enter');
    await eventually(async () => expect(await text(zgc.getByTestId('checkout-results'))).toContain('HD0000003'));
    await screenshot(zgc, 'tour-2-checkout');

    // Log out, and the central library's librarian logs in at the same screen.
    const central = zgc;
    await central.getByRole('button', { name: /退出/ }).click();
    await central.getByRole('link', { name: '登录' }).first().click();
    await central.getByLabel('登录名').fill('lib-central');
    await central.getByLabel('密码').fill('Demo12345');
    await central.getByRole('button', { name: '登录', exact: true }).click();
    await visible(central.getByRole('button', { name: /退出/ }));
    await central.getByRole('navigation').getByRole('link', { name: '归还' }).click();
    await central.getByLabel('当前馆点').selectOption({ label: '海淀区图书馆' });
    await central.getByLabel('条码').fill('HD0000003');
    await central.getByLabel('条码').press('Enter');
    const routing = central.getByTestId('routing');
    await eventually(async () => expect(await routing.getAttribute('data-action')).toBe('transit'));
    await eventually(async () => expect(await text(routing.locator('.routing-headline'))).toBe('送往：中关村街道图书分馆'));
    await screenshot(central, 'tour-2-checkin');
  }, 120_000);

  it('3–4. the operator (op-culture) publishes a menu item, and the organizer (org-zgc) orders it', async () => {
    const operator = await session(DESK, 'op-culture', 'Demo12345');
    await visible(operator.getByRole('heading', { name: '服务菜单' }));
    const create = operator.locator('form').filter({ has: operator.getByRole('button', { name: '发布新服务' }) });
    await create.getByLabel('名称').fill('社区书法讲座');
    await create.getByLabel('类别').selectOption({ label: '讲座' });
    await create.getByLabel('提供方').fill('海淀区文化馆');
    await create.getByLabel('服务区域').selectOption({ label: '海淀区' });
    await create.getByRole('button', { name: '发布新服务' }).click();
    const card = operator.getByRole('listitem').filter({ hasText: '社区书法讲座' });
    await visible(card.getByText('草稿'));
    await card.getByRole('button', { name: '上架' }).click();
    await visible(card.getByText('已上架'));
    await screenshot(operator, 'tour-3-published');

    const organizer = await session(DESK, 'org-zgc', 'Demo12345');
    await organizer.getByRole('navigation').getByRole('link', { name: '服务菜单' }).click();
    const offer = organizer.getByRole('listitem').filter({ hasText: '社区书法讲座' });
    await offer.getByRole('button', { name: '点单' }).click();
    await offer.getByLabel('期望开始日期').fill(day(20));
    await offer.getByLabel('期望结束日期').fill(day(25));
    await offer.getByLabel('预计人数').fill('40');
    await offer.getByLabel('地点').fill('中关村东路社区活动室');
    await offer.getByRole('button', { name: '提交' }).click();
    await visible(offer.getByText('点单已提交'));
    await organizer.getByRole('navigation').getByRole('link', { name: '点单管理' }).click();
    await visible(organizer.getByTestId('service-orders').getByRole('listitem').filter({ hasText: '社区书法讲座' }).getByText('待受理'));
    await screenshot(organizer, 'tour-4-ordered');
  }, 120_000);

  it('5. the administrator reads the indicators of 海淀区 against the Haidian plan, with real figures', async () => {
    const admin = await session(DESK, 'admin', 'Admin12345');
    await visible(admin.getByRole('heading', { name: '指标看板' }));
    await eventually(async () => expect(await admin.getByLabel('区域').locator('option:checked').textContent()).toBe('海淀区'));
    const value = async (code: string) => {
      const cell = admin.getByTestId('indicator-table').locator(`tr[data-code="${code}"]`).getByTestId(`value-${code}`);
      await visible(cell);
      return Number((await text(cell))!.split(' ')[0]);
    };
    // The demo's four months of past use: loans per volume and visits per head are not zero. In the first
    // weeks of January those months are last year's, as the README says: pick it.
    const year = DateTime.now().setZone('Asia/Shanghai').minus({ days: 60 }).year;
    if (String(year) !== (await admin.getByLabel('年度').inputValue())) await admin.getByLabel('年度').fill(String(year));
    await eventually(async () => expect(await value('circulation_per_volume')).toBeGreaterThan(0));
    expect(await value('visits_per_head')).toBeGreaterThan(0);
    await screenshot(admin, 'tour-5-indicators');
    // The satisfaction index, from the ratings of delivered services.
    await admin.getByRole('navigation').getByRole('link', { name: '满意度' }).click();
    const overall = admin.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: OVERALL }) });
    await visible(overall);
    expect(Number(await text(overall.getByRole('cell').nth(1)))).toBeGreaterThan(0); // ratings
    expect(await text(overall.getByRole('cell').nth(2))).toMatch(/^\d+(\.\d)?%$/); // the index: share of 4s and 5s
    await screenshot(admin, 'tour-5-satisfaction');
  }, 120_000);
});
