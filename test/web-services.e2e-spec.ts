import { DateTime } from 'luxon';
import { Browser, Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident } from './utils/factories';
import { DESK, eventually, launchBrowser, listen, PHONE, screenshot } from './utils/browser';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const visible = (l: Locator) => l.first().waitFor({ state: 'visible' });
const text = async (l: Locator) => (await l.textContent())?.trim();
const day = (n: number) => DateTime.now().setZone('Asia/Shanghai').plus({ days: n }).toISODate()!;

/** Menu services in the browser: an operator publishes, a community organizer orders, it is delivered and rated; residents ask and vote. */
describe('web app: menu services, demands and satisfaction', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let village: string;
  let centre: string;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    const admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const region = async (name: string, kind: string, parentId?: string) =>
      (await t.http().post('/api/regions').set(bearer(admin)).send({ name, kind, parentId }).expect(201)).body.id as string;
    const district = await region('菜单区', 'district');
    const town = await region('北镇', 'subdistrict', district);
    village = await region('北村', 'village', town);
    centre = (await t.http().post('/api/branches').set(bearer(admin)).send({ name: '区文化馆', kind: 'cultural_centre', level: 'central', regionId: district }).expect(201)).body.id;
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'web-op', password: 'Service123', name: '文化馆演出部', role: 'operator', branchIds: [centre] }).expect(201);
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'web-org', password: 'Service123', name: '北村文化组织员', role: 'organizer', regionIds: [village] }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function session(options: typeof DESK | typeof PHONE, name?: string, password?: string): Promise<Page> {
    const context = await browser.newContext({ ...options, baseURL: base });
    const page = await context.newPage();
    if (name) {
      await page.goto('/login');
      await page.getByLabel('登录名').fill(name);
      await page.getByLabel('密码').fill(password!);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await visible(page.getByRole('button', { name: /退出/ }));
    }
    return page;
  }

  it('publishes, orders, schedules, delivers and rates a service, and the satisfaction index shows the rating', async () => {
    const operator = await session(DESK, 'web-op', 'Service123');
    await visible(operator.getByRole('heading', { name: '服务菜单' }));
    const create = operator.locator('form').filter({ has: operator.getByRole('button', { name: '发布新服务' }) });
    await create.getByLabel('名称').fill('送书下乡');
    await create.getByLabel('类别').selectOption({ label: '图书配送' });
    await create.getByLabel('提供方').fill('区图书馆');
    await create.getByLabel('服务区域').selectOption({ label: '北镇' });
    await create.getByRole('button', { name: '发布新服务' }).click();
    const card = operator.getByRole('listitem').filter({ hasText: '送书下乡' });
    await visible(card.getByText('草稿'));
    await card.getByRole('button', { name: '上架' }).click();
    await visible(card.getByText('已上架'));
    await screenshot(operator, 'operator-menu');

    const organizer = await session(DESK, 'web-org', 'Service123');
    const offer = organizer.getByRole('listitem').filter({ hasText: '送书下乡' });
    await offer.getByRole('button', { name: '点单' }).click();
    await offer.getByLabel('期望开始日期').fill(day(20));
    await offer.getByLabel('期望结束日期').fill(day(25));
    await offer.getByLabel('预计人数').fill('40');
    await offer.getByLabel('地点').fill('北村村委会文化室');
    await offer.getByRole('button', { name: '提交' }).click();
    await offer.getByRole('alert').or(offer.getByText('点单已提交')).first().waitFor();
    expect(await offer.getByRole('alert').allTextContents()).toEqual([]);
    await screenshot(organizer, 'organizer-order');

    const status = (page: Page) => page.getByTestId('service-orders').getByRole('listitem').filter({ hasText: '送书下乡' });
    await operator.getByRole('navigation').getByRole('link', { name: '点单管理' }).click();
    const order = status(operator);
    await order.getByRole('button', { name: '受理' }).click();
    await order.locator('form').getByRole('button', { name: '受理' }).click();
    await visible(order.getByTestId('order-status').getByText('已受理'));
    await order.getByRole('button', { name: '排期' }).click();
    await order.getByLabel('开始时间').fill(`${day(21)}T10:00`);
    await order.getByLabel('结束时间').fill(`${day(21)}T11:30`);
    await order.locator('form').getByRole('button', { name: '排期' }).click();
    await visible(order.getByTestId('order-status').getByText('已排期'));
    expect(await order.getByRole('button', { name: '确认配送' }).count()).toBe(0);
    // A delivery is recorded once the service has begun: as if the time had come (as test/services.e2e-spec.ts does).
    await t.app.get(DataSource).query(`UPDATE service_order SET scheduled_starts_at = now() - interval '1 minute' WHERE status = 'scheduled'`);
    await operator.reload();
    await order.getByRole('button', { name: '确认配送' }).click();
    await order.getByLabel('实到人数').fill('37');
    // Books brought to two residents' homes: the operator names them by card; a mistyped number is pointed out.
    const [reader, neighbour] = await Promise.all([registerResident(t.http), registerResident(t.http)]);
    const served = order.getByLabel('服务对象读者证号（选填）');
    await served.fill(`${reader.cardNumber}\n110899999999`);
    await order.locator('form').getByRole('button', { name: '确认配送' }).click();
    await visible(order.getByRole('alert').getByText('以下读者证号不是在用的读者证：110899999999'));
    expect(await text(order.getByTestId('order-status'))).toBe('已排期');
    await served.fill(`${reader.cardNumber}，${neighbour.cardNumber}\n${reader.cardNumber}`);
    await order.locator('form').getByRole('button', { name: '确认配送' }).click();
    await visible(order.getByTestId('order-status').getByText('已配送'));
    const servedRows = await t.app.get(DataSource).query(`SELECT patron_id FROM service_order_served s JOIN service_order o ON o.id = s.order_id WHERE o.attendance = 37 ORDER BY patron_id`);
    expect(servedRows.map((r: { patron_id: string }) => r.patron_id)).toEqual([reader.id, neighbour.id].sort());
    // The reader finds the delivery on their page and rates it, though there was nothing to check in at.
    const home = await session(PHONE, reader.phone, 'Reader2026');
    await home.goto('/mine');
    const delivered = home.getByTestId('my-services').getByRole('listitem').filter({ hasText: '送书下乡' });
    await delivered.getByLabel('评分（1–5）').selectOption('5');
    await delivered.getByRole('button', { name: '评价' }).click();
    await visible(delivered.getByText('我的评分：5'));
    await home.context().close();
    await screenshot(operator, 'operator-orders');

    await organizer.getByRole('navigation').getByRole('link', { name: '点单管理' }).click();
    const mine = status(organizer);
    // The organizer confirms the service came (送达确认): the order stays delivered and says so.
    await mine.getByRole('button', { name: '确认送达' }).click();
    await mine.getByLabel('备注').fill('书已送到村委会');
    await mine.locator('form').getByRole('button', { name: '确认送达' }).click();
    await visible(mine.getByTestId('order-confirmed').getByText(/已确认送达/));
    expect(await mine.getByRole('button', { name: '确认送达' }).count()).toBe(0);
    expect(await text(mine.getByTestId('order-status'))).toBe('已配送');
    const [confirmation] = await t.app.get(DataSource).query(
      `SELECT e.reason, s.username FROM service_order_event e JOIN staff s ON s.id = e.actor_id JOIN service_order o ON o.id = e.order_id AND o.confirmed_by = s.id WHERE e.step = 'confirmed'`,
    );
    expect(confirmation).toEqual({ reason: '书已送到村委会', username: 'web-org' });
    await screenshot(organizer, 'organizer-confirmed');
    await mine.getByRole('button', { name: '评价' }).click();
    await mine.getByLabel('评分（1–5）').selectOption('4');
    await mine.getByLabel('评语').fill('书很受欢迎');
    await mine.locator('form').getByRole('button', { name: '评价' }).click();
    await visible(mine.getByTestId('order-status').getByText('已评价'));
    await visible(mine.getByTestId('order-confirmed'));

    await operator.getByRole('navigation').getByRole('link', { name: '满意度' }).click();
    const row = operator.getByRole('row').filter({ hasText: '送书下乡' });
    // The reader's 5 and the organizer's 4: a mean of 4.5 over 2 ratings, both 4-5.
    await eventually(async () => expect((await row.textContent()) ?? '').toMatch(/^送书下乡\s*4\.52100%$/));
    await screenshot(operator, 'operator-satisfaction');
    await operator.context().close();
    await organizer.context().close();
  }, 180_000);

  it('a resident who attended a delivered service rates it from their page', async () => {
    // Through the API: a lecture ordered, scheduled (a public activity), attended by the resident, delivered.
    const op = (await login(t.http, 'web-op', 'Service123')).accessToken;
    const org = (await login(t.http, 'web-org', 'Service123')).accessToken;
    const item = (
      await t.http()
        .post('/api/service-items')
        .set(bearer(op))
        .send({ title: '养生讲座进村', category: 'lecture', provider: '区文化馆', durationMinutes: 60, audienceMin: 1, audienceMax: 100, regionIds: [village], monthlyCapacity: 5 })
        .expect(201)
    ).body.id;
    await t.http().post(`/api/service-items/${item}/publish`).set(bearer(op)).expect(200);
    const order = (await t.http().post('/api/service-orders').set(bearer(org)).send({ itemId: item, regionId: village, preferredFrom: day(0), preferredTo: day(1), expectedAudience: 30, address: '北村礼堂' }).expect(201)).body.id;
    await t.http().post(`/api/service-orders/${order}/accept`).set(bearer(op)).send({}).expect(200);
    const startsAt = DateTime.now().plus({ minutes: 30 }).startOf('minute');
    const scheduled = await t.http().post(`/api/service-orders/${order}/schedule`).set(bearer(op)).send({ startsAt: startsAt.toISO(), endsAt: startsAt.plus({ hours: 1 }).toISO(), branchId: centre }).expect(200);
    const resident = await registerResident(t.http);
    const activity = (await t.http().get(`/api/activities/${scheduled.body.activityId}`).expect(200)).body;
    const reg = (await t.http().post(`/api/activities/${activity.id}/registrations`).set(bearer(resident.accessToken)).send({ sessionId: activity.sessions[0].id }).expect(201)).body.id;
    const code = (await t.http().get(`/api/registrations/${reg}/qr`).set(bearer(resident.accessToken)).expect(200)).body.token;
    await t.http().post('/api/checkins').set(bearer(op)).send({ token: code }).expect(200);
    await t.app.get(DataSource).query(`UPDATE service_order SET scheduled_starts_at = now() - interval '1 minute' WHERE id = $1`, [order]);
    await t.http().post(`/api/service-orders/${order}/deliver`).set(bearer(op)).send({ attendance: 25 }).expect(200);

    const page = await session(PHONE, resident.phone, 'Reader2026');
    await page.goto('/mine');
    const attended = page.getByTestId('my-services').getByRole('listitem').filter({ hasText: '养生讲座进村' });
    await attended.getByLabel('评分（1–5）').selectOption('4');
    await attended.getByLabel('评语').fill('讲得通俗易懂');
    await attended.getByRole('button', { name: '评价' }).click();
    await visible(attended.getByText('我的评分：4'));
    await screenshot(page, 'resident-rates-service');
    const [rating] = await t.app.get(DataSource).query(`SELECT score, comment, rater_kind FROM service_rating WHERE order_id = $1`, [order]);
    expect(rating).toEqual({ score: 4, comment: '讲得通俗易懂', rater_kind: 'resident' });
    await page.context().close();
  }, 180_000);

  it('a resident asks for a service, another supports it, and the operator answers', async () => {
    const [a, b] = await Promise.all([registerResident(t.http), registerResident(t.http)]);
    const first = await session(PHONE, a.phone, 'Reader2026');
    await first.getByRole('navigation').getByRole('link', { name: '群众需求' }).click();
    await first.getByText('提出需求').click();
    await first.getByLabel('名称').fill('想听中医养生讲座');
    await first.getByLabel('说明').fill('老人多，希望每月一次');
    await first.getByLabel('类别').selectOption({ label: '讲座' });
    await first.getByLabel('社区').selectOption({ label: '北村' });
    await first.getByRole('button', { name: '提交' }).click();
    const demand = (p: Page) => p.getByTestId('demands').getByRole('listitem').filter({ hasText: '想听中医养生讲座' });
    await visible(demand(first).getByText('1 人支持'));

    const second = await session(PHONE, b.phone, 'Reader2026');
    await second.goto('/demands');
    await demand(second).getByRole('button', { name: '支持 想听中医养生讲座' }).click();
    await visible(demand(second).getByText('2 人支持'));
    await screenshot(second, 'resident-demands');

    const operator = await session(DESK, 'web-op', 'Service123');
    await operator.getByRole('navigation').getByRole('link', { name: '群众需求' }).click();
    await demand(operator).getByLabel('答复结果').selectOption({ label: '已纳入计划' });
    await demand(operator).getByLabel('答复', { exact: true }).fill('下月起每月第一个周六');
    await demand(operator).getByRole('button', { name: '提交' }).click();
    await visible(demand(operator).getByText('下月起每月第一个周六'));

    await first.reload();
    const inbox = first.getByRole('navigation').getByRole('link', { name: /消息/ });
    await eventually(async () => expect(await text(inbox)).toContain('1 条未读'));
    await inbox.click();
    await visible(first.getByRole('heading', { name: /您的需求有了答复/ }));
    for (const p of [first, second, operator]) await p.context().close();
  }, 180_000);
});
