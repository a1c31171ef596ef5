import { Browser, Locator } from 'playwright-core';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident, Resident, RESIDENT_PASSWORD, everyDay } from './utils/factories';
import { accessibilityViolations, DESK, eventually, launchBrowser, listen, PHONE, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '21:00');
const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });
const text = async (l: Locator) => (await l.textContent())?.trim();

/** The desk's fines page in real Chromium: scan a card, take part in cash, waive part, print the receipt; the resident sees it. */
describe('desk fines in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  let branchId: string;
  let reader: Resident;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    base = await listen(t);
    browser = await launchBrowser();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '收费区', kind: 'district' }).expect(201);
    branchId = (
      await t.http()
        .post('/api/branches')
        .set(bearer(admin))
        .send({ name: '南门总馆', kind: 'library', level: 'central', regionId: district.body.id, sharedCirculation: true, openingHours: EVERY_DAY })
        .expect(201)
    ).body.id;
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'fines-desk', password: 'Desk12345', name: '收费员', role: 'librarian', branchIds: [branchId] }).expect(201);
    reader = await registerResident(t.http, { name: '欧阳小娜' });
    // Two fines, the older first: 3.00 and 1.50 (4.50 owed).
    for (const [amount, daysAgo] of [['3.00', 9], ['1.50', 2]] as const) {
      await db.query(`INSERT INTO fine (patron_id, amount, reason, branch_id, created_at) VALUES ($1, $2, 'overdue', $3, now() - make_interval(days => $4))`, [
        reader.id,
        amount,
        branchId,
        daysAgo,
      ]);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('takes part of the fines in cash, waives part for a reason, prints the receipt, and the resident sees it on their page', async () => {
    const context = await browser.newContext({ ...DESK, baseURL: base });
    const page = await context.newPage();
    let receiptNumber = '';
    try {
      await page.goto('/login');
      await page.getByLabel('登录名').fill('fines-desk');
      await page.getByLabel('密码').fill('Desk12345');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('navigation').getByRole('link', { name: '罚款' }).click();
      await eventually(async () => expect(await page.getByLabel('当前馆点').inputValue()).toBe(branchId));
      await page.getByLabel('读者证号或二维码').fill(reader.cardNumber);
      await page.getByLabel('读者证号或二维码').press('Enter');

      const holder = page.getByTestId('fines-holder');
      await visible(holder);
      expect(await text(holder)).toContain('欧**娜');
      expect(await text(holder)).not.toContain('欧阳小娜');
      expect(await text(page.getByTestId('fines-owed'))).toBe('4.50 元');
      // The amount defaults to the total; the librarian takes 2.00 of it.
      expect(await page.getByLabel('收款金额（元）').inputValue()).toBe('4.50');
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.getByLabel('收款金额（元）').fill('2.00');
      await page.getByRole('button', { name: '收取现金' }).click();
      const done = page.getByRole('status').filter({ hasText: '已收款 2.00 元' });
      await visible(done);
      receiptNumber = (await text(done))!.match(/R\d{4}-\d{6}/)![0];
      await eventually(async () => expect(await text(page.getByTestId('fines-owed'))).toBe('2.50 元'));
      // Oldest first: the 3.00 fine has 1.00 left, the 1.50 one is untouched.
      const rows = page.getByTestId('fines-table').locator('tbody tr');
      expect(await rows.evaluateAll((els) => els.map((e) => [...e.querySelectorAll('td.num')].map((td) => td.textContent)))).toEqual([
        ['3.00', '2.00', '0.00', '1.00'],
        ['1.50', '0.00', '0.00', '1.50'],
      ]);

      // Waive 0.50 of the newer fine, for a reason.
      await rows.nth(1).getByRole('button', { name: /^减免/ }).click();
      await page.getByLabel('减免金额（元）').fill('0.50');
      expect(await page.getByRole('button', { name: '确认减免' }).isDisabled()).toBe(true); // no reason yet
      await page.getByLabel('减免理由').fill('还书箱故障');
      await page.getByRole('button', { name: '确认减免' }).click();
      await eventually(async () => expect(await text(page.getByTestId('fines-owed'))).toBe('2.00 元'));
      expect(await rows.nth(1).evaluate((e) => [...e.querySelectorAll('td.num')].map((td) => td.textContent))).toEqual(['1.50', '0.00', '0.50', '1.00']);
      await screenshot(page, 'desk-fines');

      // The receipt, on a page of its own, laid out for printing.
      await page.getByRole('link', { name: '打印收据' }).click();
      const receipt = page.getByTestId('receipt');
      await visible(receipt);
      expect(await text(receipt)).toContain(receiptNumber);
      expect(await text(receipt)).toContain('2.00 元');
      expect(await text(receipt)).toContain('欧**娜');
      expect(await text(receipt)).toContain('南门总馆');
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header.top').isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: '打印收据' }).isVisible()).toBe(false);
      expect(await receipt.isVisible()).toBe(true);
      await screenshot(page, 'desk-fines-receipt-print');
      await page.emulateMedia({ media: 'screen' });

      // In English too.
      await page.getByRole('button', { name: 'English' }).click();
      await visible(page.getByRole('heading', { name: 'Payment receipt' }));
      expect(await text(receipt)).toContain('2.00 yuan');
    } finally {
      await context.close();
    }

    // The trail holds the charge, the payment and the waiver, by the desk's librarian at its branch.
    const events = await db.query(`SELECT kind, amount::text AS amount FROM fine_event WHERE patron_id = $1 ORDER BY id`, [reader.id]);
    expect(events).toEqual([
      { kind: 'charged', amount: '3.00' },
      { kind: 'charged', amount: '1.50' },
      { kind: 'paid', amount: '2.00' },
      { kind: 'waived', amount: '0.50' },
    ]);
    expect((await db.query(`SELECT count(*)::int AS n FROM payment WHERE patron_id = $1`, [reader.id]))[0].n).toBe(1);

    const phone = await browser.newContext({ ...PHONE, baseURL: base });
    const mine = await phone.newPage();
    try {
      await mine.goto('/login');
      await mine.getByLabel('登录名').fill(reader.phone);
      await mine.getByLabel('密码').fill(RESIDENT_PASSWORD);
      await mine.getByRole('button', { name: '登录', exact: true }).click();
      await visible(mine.getByRole('heading', { name: '我的读者证' }));
      await mine.goto('/loans');
      await eventually(async () => expect(await text(mine.getByTestId('my-fines-owed'))).toBe('应缴合计：2.00 元'));
      await mine.waitForFunction(`!document.querySelector('[aria-busy="true"]')`);
      expect(await accessibilityViolations(mine)).toEqual([]);
      expect(await mine.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await screenshot(mine, 'resident-fines');
      await mine.getByTestId('receipts').getByRole('link', { name: receiptNumber }).click();
      await visible(mine.getByTestId('receipt'));
      expect(await text(mine.getByTestId('receipt'))).toContain('2.00 元');
      expect(await accessibilityViolations(mine)).toEqual([]);
      await screenshot(mine, 'resident-fines-receipt');

      // The rest, paid online from the same page (the amount defaults to what is owed).
      await mine.goto('/loans');
      await mine.getByRole('button', { name: '在线支付' }).click();
      await eventually(async () => expect(await text(mine.getByTestId('my-fines-owed'))).toBe('应缴合计：0.00 元'));
      await eventually(async () => expect(await mine.getByTestId('receipts').getByRole('link').count()).toBe(2));
    } finally {
      await phone.close();
    }
  }, 120_000);

  it('lets the administrator count overdue days in calendar days instead of open days on the policies page', async () => {
    const context = await browser.newContext({ ...DESK, baseURL: base });
    const page = await context.newPage();
    try {
      await page.goto('/login');
      await page.getByLabel('登录名').fill(TEST_ADMIN.username);
      await page.getByLabel('密码').fill(TEST_ADMIN.password);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('navigation').getByRole('link', { name: '流通规则' }).click();
      const choice = page.getByLabel('全网默认 逾期天数');
      await visible(choice);
      expect(await choice.inputValue()).toBe('open');
      await choice.selectOption({ label: '按自然日' });
      await page.getByRole('button', { name: '保存' }).click();
      await eventually(async () => {
        const rules = (await t.http().get('/api/circulation/policies').set(bearer(admin)).expect(200)).body.rules;
        expect(rules.find((r: { branchId: string | null }) => !r.branchId).overdueDays).toBe('calendar');
      });
      await page.getByRole('button', { name: 'English' }).click();
      expect(await page.getByLabel('Network default Overdue days').inputValue()).toBe('calendar');
      expect(await accessibilityViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
