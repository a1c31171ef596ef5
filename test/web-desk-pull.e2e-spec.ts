import { Browser, Locator, Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { bearer, login, registerResident, Resident, testDistrict, everyDay } from './utils/factories';
import { accessibilityViolations, DESK, eventually, launchBrowser, listen, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const EVERY_DAY = everyDay('08:00', '21:00');
const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });
const text = async (l: Locator) => (await l.textContent())?.trim();

/** window.print() counted instead of opening the print dialog. */
async function countPrints(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = globalThis as unknown as { print: () => void; printed: number };
    w.printed = 0;
    w.print = () => void w.printed++;
  });
  return () => page.evaluate(() => (globalThis as unknown as { printed: number }).printed);
}

/** The librarian's pull list, check-in slips and bulk edit in real Chromium, reached from the navigation only. */
describe('desk: pull list, slips and bulk edit in the browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: string;
  const branch = { A: '', B: '' };
  let reader: Resident;
  let secondReader: Resident;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const { library: mk } = await testDistrict(t.http, admin, { name: '取书区' }, EVERY_DAY);
    branch.A = await mk('东城总馆', 'central');
    branch.B = await mk('西街分馆', 'branch', branch.A);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'pull-a', password: 'Desk12345', name: '馆员甲', role: 'librarian', branchIds: [branch.A] }).expect(201);

    const record = async (title: string) => (await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title, authors: ['鲁迅'] }).expect(201)).body.id as string;
    const [held, plain] = [await record('呐喊'), await record('野草')];
    const copy = (barcode: string, recordId: string, callNumber: string) =>
      t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId, barcode, branchId: branch.A, itemType: 'book', callNumber, shelvingLocation: '二楼文学' }).expect(201);
    await copy('PULL0001', held, 'I210/1');
    await copy('PULL0002', plain, 'I210/2');
    await copy('PULL0003', plain, 'I210/3');
    reader = await registerResident(t.http, { name: '欧阳小娜' });
    await t.http().post('/api/holds').set(bearer(reader.accessToken)).send({ recordId: held, pickupBranchId: branch.B }).expect(201);
    // A copy on loan that a second reader waits for at A: checked in with the cart, it goes to A's hold shelf.
    const tales = await record('故事新编');
    await copy('PULL0005', tales, 'I210/5');
    const borrower = await registerResident(t.http);
    await t.http().post('/api/circulation/checkout').set(bearer(admin)).send({ cardNumber: borrower.cardNumber, barcode: 'PULL0005', branchId: branch.A }).expect(201);
    secondReader = await registerResident(t.http, { name: '司马青' });
    await t.http().post('/api/holds').set(bearer(secondReader.accessToken)).send({ recordId: tales, pickupBranchId: branch.A }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('prints the pull list, captures the pulled copy at check-in with its hold and transit slips, and bulk-edits copies', async () => {
    const context = await browser.newContext({ ...DESK, baseURL: base });
    const page = await context.newPage();
    const nav = () => page.getByRole('navigation');
    try {
      await page.goto('/login');
      await page.getByLabel('登录名').fill('pull-a');
      await page.getByLabel('密码').fill('Desk12345');
      await page.getByRole('button', { name: '登录', exact: true }).click();

      // 取书单: the copy set aside for the hold still stands on A's shelf.
      await nav().getByRole('link', { name: '取书单' }).click();
      const list = page.getByTestId('pull-list');
      await visible(list);
      const line = list.locator('[data-barcode="PULL0001"]');
      expect(await text(line)).toContain('呐喊');
      expect(await text(line)).toContain('I210/1');
      expect(await text(line)).toContain('二楼文学');
      await eventually(async () => expect(await text(line)).toContain('西街分馆'));
      expect(await text(line)).toContain(`欧**娜，读者证尾号 ${reader.cardNumber.slice(-4)}`);
      expect(await text(page.locator('main'))).not.toContain('欧阳小娜');
      expect(await list.locator('tbody tr').count()).toBe(1);
      const prints = await countPrints(page);
      await page.getByRole('button', { name: '打印取书单' }).click();
      expect(await prints()).toBe(1);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'desk-pull-list');

      // Check-in of the pulled copy: it goes to B for the hold; both slips open and read what goes in the book.
      await nav().getByRole('link', { name: '归还' }).click();
      await eventually(async () => expect(await page.getByLabel('当前馆点').inputValue()).toBe(branch.A));
      const before = DateTime.now().setZone('Asia/Shanghai').toISODate()!;
      await page.getByLabel('条码').fill('PULL0001');
      await page.getByLabel('条码').press('Enter');
      await eventually(async () => expect(await page.getByTestId('routing').getAttribute('data-action')).toBe('transit'));
      const after = DateTime.now().setZone('Asia/Shanghai').toISODate()!;
      const days = [before, after].map((d) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(`${d}T12:00:00Z`)));

      await page.getByRole('button', { name: '打印预约单' }).click();
      const holdSlip = page.getByTestId('hold-slip');
      await visible(holdSlip);
      const holdText = (await text(holdSlip))!;
      for (const part of ['预约单', '预约读者欧**娜', `读者证尾号${reader.cardNumber.slice(-4)}`, '取书馆点西街分馆', '书名呐喊', '条码PULL0001']) expect(holdText).toContain(part);
      expect(days.some((d) => holdText.includes(`日期${d}`))).toBe(true);
      expect(holdText).not.toContain('欧阳小娜');
      expect(holdText).not.toContain(reader.phone);
      expect(holdText).not.toContain(reader.cardNumber);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'desk-hold-slip');
      // On paper: the slip alone, without the navigation, the routing box or its own buttons.
      await page.emulateMedia({ media: 'print' });
      expect(await holdSlip.getByRole('heading', { name: '预约单' }).isVisible()).toBe(true);
      expect(await page.getByRole('navigation').isVisible()).toBe(false);
      expect(await page.getByTestId('routing').isVisible()).toBe(false);
      expect(await holdSlip.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
      await page.emulateMedia({ media: 'screen' });

      await page.getByRole('button', { name: '打印调拨单' }).click();
      const transitSlip = page.getByTestId('transit-slip');
      await visible(transitSlip);
      const transitText = (await text(transitSlip))!;
      for (const part of ['调拨单', '送往西街分馆', '发出馆点东城总馆', '原因预约', '书名呐喊', '条码PULL0001']) expect(transitText).toContain(part);
      const slipPrints = await countPrints(page);
      await transitSlip.getByRole('button', { name: '打印' }).click();
      expect(await slipPrints()).toBe(1);

      // Captured: off the pull list.
      await nav().getByRole('link', { name: '取书单' }).click();
      await visible(page.getByText('没有要取的书'));

      // 批量修改: an unknown barcode blocks the edit; corrected, two copies change in one go.
      await nav().getByRole('link', { name: '批量修改' }).click();
      // The copies of a title come from a catalogue search; one more barcode is typed in, wrongly.
      await page.getByLabel('按馆藏检索添加条码（书名、作者、ISBN）').fill('野草');
      await page.getByRole('button', { name: '搜索' }).click();
      await page.getByRole('button', { name: '加入《野草》的本馆馆藏' }).click();
      await eventually(async () => expect((await page.getByLabel('条码清单').inputValue()).split('\n').sort()).toEqual(['PULL0002', 'PULL0003']));
      await page.getByLabel('条码清单').fill(`${await page.getByLabel('条码清单').inputValue()}, NOPE-0001`);
      await page.getByLabel('文献类型').selectOption({ label: '期刊' });
      await page.getByLabel('排架位置', { exact: true }).fill('三楼期刊');
      await page.getByRole('button', { name: '预览' }).click();
      const previewBox = page.getByTestId('bulk-preview');
      await visible(previewBox);
      expect(await text(page.getByTestId('bulk-unknown'))).toContain('NOPE-0001');
      expect(await page.getByRole('button', { name: /执行修改/ }).isDisabled()).toBe(true);
      expect(await text(previewBox.locator('[data-barcode="PULL0002"]'))).toContain('文献类型：图书 → 期刊');
      expect(await text(previewBox.locator('[data-barcode="PULL0002"]'))).toContain('排架位置：二楼文学 → 三楼期刊');
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'desk-bulk-edit-preview');

      await page.getByLabel('条码清单').fill('PULL0002\nPULL0003');
      await page.getByRole('button', { name: '预览' }).click();
      await visible(page.getByText('2 册将被修改，0 册无变化'));
      await page.getByRole('button', { name: '执行修改（2 册）' }).click();
      await visible(page.getByText('已修改 2 册'));
      for (const barcode of ['PULL0002', 'PULL0003']) {
        const item = (await t.http().get(`/api/catalog/items/${barcode}`).set(bearer(admin)).expect(200)).body;
        expect(item).toMatchObject({ itemType: 'periodical', shelvingLocation: '三楼期刊' });
      }

      // The cart's results have the slips too.
      await nav().getByRole('link', { name: '归还' }).click();
      await page.getByRole('button', { name: '整车归还', exact: true }).click();
      await page.getByLabel('条码').fill('PULL0005');
      await page.getByLabel('条码').press('Enter');
      await page.getByRole('button', { name: '归还全部（1 册）' }).click();
      const cartRow = page.getByTestId('cart-results').locator('[data-barcode="PULL0005"]');
      await eventually(async () => expect(await cartRow.getAttribute('data-action')).toBe('hold-shelf'));
      expect(await cartRow.getByRole('button', { name: '打印调拨单' }).count()).toBe(0);
      await cartRow.getByRole('button', { name: '打印预约单' }).click();
      const cartSlip = cartRow.getByTestId('hold-slip');
      await visible(cartSlip);
      // Branch names come with the branch list, which may answer after the page's own data.
      await eventually(async () => {
        for (const part of ['预约读者司*', `读者证尾号${secondReader.cardNumber.slice(-4)}`, '取书馆点东城总馆', '取书截止', '书名故事新编']) expect(await text(cartSlip)).toContain(part);
      });
      expect(await accessibilityViolations(page)).toEqual([]);

      // In English the pages read in English.
      await page.getByRole('button', { name: 'English' }).click();
      await visible(cartSlip.getByRole('heading', { name: 'Hold slip' }));
      await eventually(async () => expect(await text(cartSlip)).toContain('Pickup branch东城总馆'));
      await nav().getByRole('link', { name: 'Pull list' }).click();
      await visible(page.getByText('Nothing to pull'));
      await nav().getByRole('link', { name: 'Bulk edit' }).click();
      await visible(page.getByRole('heading', { name: 'Bulk edit' }));
      await visible(page.getByLabel('Barcodes'));
    } finally {
      await context.close();
    }
  }, 120_000);
});
