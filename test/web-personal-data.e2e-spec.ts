import { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident, RESIDENT_PASSWORD } from './utils/factories';
import { accessibilityViolations, DESK, eventually, launchBrowser, listen, PHONE, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

/** PIPL in the browser: the resident's close-account refusal and closing on the card page; the admin's access log page. */
describe('personal data in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    base = await listen(t);
    browser = await launchBrowser();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a resident is told what is open, then closes the account and is signed out; the admin reads the access log', async () => {
    const reader = await registerResident(t.http, { name: '周小舟' });
    await db.query(`INSERT INTO fine (patron_id, amount, reason) VALUES ($1, '1.20', 'overdue')`, [reader.id]);
    await t.http().get(`/api/cards/${reader.cardNumber}`).set(bearer(admin)).set('user-agent', 'AdminDesk/2.0').expect(200);

    const phone = await browser.newContext({ ...PHONE, baseURL: base });
    const page = await phone.newPage();
    try {
      await page.goto('/login');
      await page.getByLabel('登录名').fill(reader.cardNumber);
      await page.getByLabel('密码').fill(RESIDENT_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      // After login the resident lands on the card page, where the personal-data section is.
      await page.getByRole('heading', { name: '我的读者证' }).first().waitFor({ state: 'visible' });
      await page.getByRole('button', { name: '下载我的数据' }).waitFor();
      await page.getByRole('button', { name: '注销账号' }).click();
      await page.getByLabel('请输入密码确认').fill(RESIDENT_PASSWORD);
      await page.getByRole('button', { name: '确认注销' }).click();
      await eventually(async () => expect(await page.getByRole('alert').textContent()).toContain('未缴罚款 1.20 元'));
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'resident-close-account-refused');

      await db.query(`UPDATE fine SET waived = amount WHERE patron_id = $1`, [reader.id]);
      await page.getByRole('button', { name: '确认注销' }).click();
      await eventually(async () => expect(new URL(page.url()).pathname).toBe('/'));
      await eventually(async () => expect((await db.query(`SELECT closed_at FROM patron WHERE id = $1`, [reader.id]))[0].closed_at).not.toBeNull());
    } finally {
      await phone.close();
    }

    const desk = await browser.newContext({ ...DESK, baseURL: base });
    const adminPage = await desk.newPage();
    try {
      await adminPage.goto('/login');
      await adminPage.getByLabel('登录名').fill(TEST_ADMIN.username);
      await adminPage.getByLabel('密码').fill(TEST_ADMIN.password);
      await adminPage.getByRole('button', { name: '登录', exact: true }).click();
      await adminPage.getByRole('navigation').getByRole('link', { name: '个人信息访问记录' }).click();
      await adminPage.getByLabel('读者 ID').fill(reader.id);
      await eventually(async () => expect(await adminPage.getByTestId('personal-data-access').textContent()).toContain('AdminDesk/2.0'));
      const table = (await adminPage.getByTestId('personal-data-access').textContent()) ?? '';
      expect(table).toContain('card.lookup');
      expect(table).toContain('已注销');
      expect(await accessibilityViolations(adminPage)).toEqual([]);
      await screenshot(adminPage, 'admin-personal-data-access');
    } finally {
      await desk.close();
    }
  });
});
