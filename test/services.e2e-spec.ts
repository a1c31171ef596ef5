import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { bearer, login, registerResident, Resident } from './utils/factories';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const ZONE = 'Asia/Shanghai';
const day = (days: number) => DateTime.now().setZone(ZONE).plus({ days }).toISODate()!;
const inMinutes = (minutes: number) => DateTime.now().setZone(ZONE).plus({ minutes }).startOf('minute').toISO({ suppressMilliseconds: true })!;

describe('menu and order services (菜单式 / 订单式)', () => {
  let t: TestApp;
  let admin: string;
  let operator: string;
  let otherOperator: string;
  let organizer: string; // serves 北村 (a village)
  let otherOrganizer: string; // serves 南社区
  let operatorId: string;
  let otherOperatorId: string;
  let organizerId: string;
  let district: string;
  let subdistrict: string;
  let village: string;
  let community: string;
  let centreId: string;
  let pointId: string;
  let residents: Resident[];

  const item = (token: string, body: Record<string, unknown> = {}) =>
    t.http()
      .post('/api/service-items')
      .set(bearer(token))
      .send({
        title: '非遗剪纸进社区',
        category: 'lecture',
        provider: '区文化馆',
        providerBranchId: centreId,
        durationMinutes: 90,
        audienceMin: 10,
        audienceMax: 120,
        leadTimeDays: 3,
        regionIds: [subdistrict],
        monthlyCapacity: 5,
        ...body,
      });
  async function publishedItem(body: Record<string, unknown> = {}, token = operator): Promise<string> {
    const created = await item(token, body).expect(201);
    await t.http().post(`/api/service-items/${created.body.id}/publish`).set(bearer(token)).expect(200);
    return created.body.id;
  }
  const order = (token: string, body: Record<string, unknown>) =>
    t.http()
      .post('/api/service-orders')
      .set(bearer(token))
      .send({ regionId: village, preferredFrom: day(10), preferredTo: day(20), expectedAudience: 60, address: '北村村委会礼堂', ...body });
  const act = (token: string, id: string, action: string, body: Record<string, unknown> = {}) =>
    t.http().post(`/api/service-orders/${id}/${action}`).set(bearer(token)).send(body);
  /**
   * A delivery is recorded only once the service has begun, and a schedule must be in the future, so
   * tests that deliver move the scheduled start into the past by hand — as if the time had come.
   */
  const hasBegun = (orderId: string) =>
    t.app.get(DataSource).query(`UPDATE service_order SET scheduled_starts_at = now() - interval '1 minute' WHERE id = $1`, [orderId]);
  const history = async (token: string, id: string) =>
    (await t.http().get(`/api/service-orders/${id}`).set(bearer(token)).expect(200)).body.history.map((h: { fromStatus: string | null; toStatus: string }) => [h.fromStatus, h.toStatus]);

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const region = async (name: string, kind: string, parentId?: string) =>
      (await t.http().post('/api/regions').set(bearer(admin)).send({ name, kind, parentId }).expect(201)).body.id as string;
    district = await region('服务区', 'district');
    subdistrict = await region('北镇', 'subdistrict', district);
    village = await region('北村', 'village', subdistrict);
    community = await region('南社区', 'community', subdistrict);
    const branch = async (body: Record<string, unknown>) => (await t.http().post('/api/branches').set(bearer(admin)).send(body).expect(201)).body.id as string;
    centreId = await branch({ name: '区文化馆', kind: 'cultural_centre', level: 'central', regionId: district });
    pointId = await branch({ name: '北村服务点', kind: 'service_point', level: 'service_point', regionId: village, parentId: centreId });
    const staff = async (username: string, role: string, extra: Record<string, unknown>) => {
      const res = await t.http().post('/api/staff').set(bearer(admin)).send({ username, password: 'Service123', name: username, role, ...extra }).expect(201);
      return { id: res.body.id as string, token: (await login(t.http, username, 'Service123')).accessToken };
    };
    const op = await staff('svc-op', 'operator', {});
    operator = op.token;
    operatorId = op.id;
    const op2 = await staff('svc-op2', 'operator', {});
    otherOperator = op2.token;
    otherOperatorId = op2.id;
    const org = await staff('svc-org', 'organizer', { regionIds: [village] });
    organizer = org.token;
    organizerId = org.id;
    otherOrganizer = (await staff('svc-org2', 'organizer', { regionIds: [community] })).token;
    residents = await Promise.all(Array.from({ length: 14 }, () => registerResident(t.http)));
  });
  afterAll(() => t.close());

  describe('the menu', () => {
    it('keeps drafts to their operator, lists published items by category and region with the month left', async () => {
      const draft = await item(operator, { title: '草稿项目' }).expect(201);
      expect(draft.body).toMatchObject({ status: 'draft', operatorId, regionIds: [subdistrict], free: true });
      await t.http().get(`/api/service-items/${draft.body.id}`).expect(404);
      await t.http().get(`/api/service-items/${draft.body.id}`).set(bearer(otherOperator)).expect(404);
      await t.http().get(`/api/service-items/${draft.body.id}`).set(bearer(operator)).expect(200);
      const mine = await t.http().get('/api/service-items?mine=true').set(bearer(operator)).expect(200);
      expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(draft.body.id);

      const id = await publishedItem({ title: '少儿故事会', category: 'reading_promotion', monthlyCapacity: 4 });
      const month = day(10).slice(0, 7);
      await order(organizer, { itemId: id }).expect(201);
      const inVillage = await t.http().get(`/api/service-items?regionId=${village}&category=reading_promotion&month=${month}`).expect(200);
      expect(inVillage.body.items).toEqual([expect.objectContaining({ id, status: 'published', month, ordersInMonth: 1, remainingInMonth: 3 })]);
      // An item serving the subdistrict also shows for the whole district, but not elsewhere.
      const inDistrict = await t.http().get(`/api/service-items?regionId=${district}&category=reading_promotion&pageSize=200`).expect(200);
      expect(inDistrict.body.items.map((i: { id: string }) => i.id)).toContain(id);
      const elsewhere = (await t.http().post('/api/regions').set(bearer(admin)).send({ name: '别区', kind: 'district' }).expect(201)).body.id;
      expect((await t.http().get(`/api/service-items?regionId=${elsewhere}&pageSize=200`).expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(id);
      const all = await t.http().get('/api/service-items?pageSize=200').expect(200);
      expect(all.body.items.every((i: { status: string }) => i.status === 'published')).toBe(true);
    });

    it('lets only the owner change an item; paused takes no orders; retired stays readable and frozen', async () => {
      const id = await publishedItem({ title: '社区电影放映', category: 'film_screening' });
      expect((await t.http().patch(`/api/service-items/${id}`).set(bearer(otherOperator)).send({ title: 'x' }).expect(403)).body.code).toBe('ITEM_NOT_YOURS');
      for (const step of ['pause', 'retire', 'publish']) {
        const res = await t.http().post(`/api/service-items/${id}/${step}`).set(bearer(otherOperator)).expect(403);
        expect(res.body.code).toBe('ITEM_NOT_YOURS');
      }
      // A draft of theirs cannot be published by another operator either; none of it changed the items.
      const draft = (await item(operator, { title: '他人不可上架' }).expect(201)).body.id;
      expect((await t.http().post(`/api/service-items/${draft}/publish`).set(bearer(otherOperator)).expect(403)).body.code).toBe('ITEM_NOT_YOURS');
      expect((await t.http().get(`/api/service-items/${draft}`).set(bearer(operator)).expect(200)).body.status).toBe('draft');
      expect((await t.http().get(`/api/service-items/${id}`).expect(200)).body.status).toBe('published');
      expect((await t.http().patch(`/api/service-items/${id}`).set(bearer(operator)).send({ monthlyCapacity: 9 }).expect(200)).body.monthlyCapacity).toBe(9);
      await t.http().patch(`/api/service-items/${id}`).set(bearer(admin)).send({ feeNote: '免费' }).expect(200);

      await t.http().post(`/api/service-items/${id}/pause`).set(bearer(operator)).expect(200);
      const paused = await order(organizer, { itemId: id }).expect(409);
      expect(paused.body).toMatchObject({ code: 'ITEM_NOT_ORDERABLE', details: { status: 'paused' } });
      expect((await t.http().post(`/api/service-items/${id}/pause`).set(bearer(operator)).expect(409)).body.details).toMatchObject({ status: 'paused', action: 'pause' });

      await t.http().post(`/api/service-items/${id}/retire`).set(bearer(operator)).expect(200);
      const retired = await t.http().get(`/api/service-items/${id}`).expect(200);
      expect(retired.body).toMatchObject({ status: 'retired', title: '社区电影放映' });
      expect((await t.http().patch(`/api/service-items/${id}`).set(bearer(operator)).send({ title: 'y' }).expect(409)).body.code).toBe('ITEM_STATE_INVALID');
      await t.http().post(`/api/service-items/${id}/publish`).set(bearer(operator)).expect(409);
    });

    it('names the field of bad input and keeps residents and organizers out', async () => {
      const backwards = await item(operator, { audienceMin: 100, audienceMax: 10 }).expect(400);
      expect(backwards.body.details.errors[0].field).toBe('audienceMax');
      const noRegions = await item(operator, { regionIds: [] }).expect(400);
      expect(noRegions.body.details.errors[0].field).toBe('regionIds');
      const unknown = await item(operator, { regionIds: ['00000000-0000-4000-8000-000000000000'] }).expect(400);
      expect(unknown.body).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'regionIds' } });
      expect((await item(operator, { category: 'karaoke' }).expect(400)).body.details.errors[0].field).toBe('category');
      await item(organizer).expect(403);
      await item(residents[0].accessToken).expect(403);
      await item(operator, { operatorId: operatorId }).expect(201);
      expect((await item(otherOperator, { operatorId }).expect(403)).body.code).toBe('ITEM_NOT_YOURS');
    });
  });

  describe('an order from submission to evaluation', () => {
    it('goes submitted → accepted → scheduled → delivered → evaluated, with residents registering, attending and rating', async () => {
      const itemId = await publishedItem({ title: '戏曲名家讲座', category: 'lecture' });
      // Only organizers of the region order for it; the item must serve it; dates and audience are checked.
      expect((await order(otherOrganizer, { itemId }).expect(403)).body.code).toBe('REGION_NOT_YOURS');
      expect((await order(organizer, { itemId, preferredFrom: day(1) }).expect(400)).body.details.errors[0].field).toBe('preferredFrom');
      expect((await order(organizer, { itemId, preferredTo: day(5) }).expect(400)).body.details.errors[0].field).toBe('preferredTo');
      expect((await order(organizer, { itemId, expectedAudience: 500 }).expect(400)).body.details.errors[0].field).toBe('expectedAudience');
      expect((await order(organizer, { itemId, address: undefined }).expect(400)).body.details.errors[0].field).toBe('address');
      await order(residents[0].accessToken, { itemId }).expect(403);

      const placed = await order(organizer, { itemId, notes: '希望安排在周末' }).expect(201);
      const id = placed.body.id;
      expect(placed.body).toMatchObject({ status: 'submitted', regionId: village, month: `${day(10).slice(0, 7)}-01`, item: { id: itemId, title: '戏曲名家讲座' } });
      const opInbox = await t.http().get('/api/me/notifications').set(bearer(operator)).expect(200);
      expect(opInbox.body.some((n: { kind: string; payload: { orderId: string } }) => n.kind === 'service_order_submitted' && n.payload.orderId === id)).toBe(true);

      // Illegal moves name the current state; other operators cannot touch it.
      const early = await act(operator, id, 'deliver', { attendance: 3 }).expect(409);
      expect(early.body).toMatchObject({ code: 'ORDER_STATE_INVALID', details: { status: 'submitted', action: 'deliver' } });
      // An order another operator may not see is a 404 for every route, as GET answers.
      expect((await act(otherOperator, id, 'accept').expect(404)).body.code).toBe('ORDER_NOT_FOUND');
      expect((await act(otherOperator, id, 'cancel', { reason: 'x' }).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
      await act(organizer, id, 'accept').expect(403);
      expect((await act(operator, id, 'accept', { note: '已联系村委会' }).expect(200)).body.status).toBe('accepted');
      expect((await act(operator, id, 'decline', { reason: 'x' }).expect(409)).body.details.status).toBe('accepted');

      const past = await act(operator, id, 'schedule', { startsAt: inMinutes(-60), endsAt: inMinutes(30) }).expect(400);
      expect(past.body.details.errors[0].field).toBe('startsAt');
      const scheduled = await act(operator, id, 'schedule', { startsAt: inMinutes(30), endsAt: inMinutes(150), seats: 3 }).expect(200);
      expect(scheduled.body).toMatchObject({ status: 'scheduled', address: '北村村委会礼堂' });
      const activityId = scheduled.body.activityId;
      const activity = await t.http().get(`/api/activities/${activityId}`).expect(200);
      // Held in the community's own service point, open to residents.
      expect(activity.body).toMatchObject({ title: '戏曲名家讲座', category: 'lecture', branchId: pointId });
      expect(activity.body.sessions[0]).toMatchObject({ capacity: 3, seatsLeft: 3 });
      const [a, b, c] = residents;
      const regs = [];
      for (const r of [a, b, c]) {
        regs.push((await t.http().post(`/api/activities/${activityId}/registrations`).set(bearer(r.accessToken)).send({ sessionId: activity.body.sessions[0].id }).expect(201)).body);
      }
      for (const [r, reg] of [[a, regs[0]], [b, regs[1]]] as const) {
        const code = await t.http().get(`/api/registrations/${reg.id}/qr`).set(bearer(r.accessToken)).expect(200);
        await t.http().post('/api/checkins').set(bearer(operator)).send({ token: code.body.token }).expect(200);
      }

      // Delivery is confirmed only once delivered, and only by the community's side.
      const tooSoon = await act(organizer, id, 'confirm').expect(409);
      expect(tooSoon.body).toMatchObject({ code: 'ORDER_STATE_INVALID', details: { status: 'scheduled', action: 'confirm' } });
      // Residents rate only a delivered service.
      expect((await t.http().post(`/api/service-orders/${id}/ratings`).set(bearer(a.accessToken)).send({ score: 5 }).expect(409)).body.details.status).toBe('scheduled');
      const badPhoto = await act(operator, id, 'deliver', { attendance: 2, photoUrls: ['javascript:alert(1)'] }).expect(400);
      expect(badPhoto.body.details.errors[0].field).toMatch(/^photoUrls/);
      // Not before it has begun; then the start is moved into the past, as if the half hour had gone by.
      const notYet = await act(operator, id, 'deliver', { attendance: 2 }).expect(409);
      expect(notYet.body).toMatchObject({ code: 'ORDER_NOT_STARTED', details: { startsAt: scheduled.body.scheduledStartsAt } });
      await hasBegun(id);
      const delivered = await act(operator, id, 'deliver', { attendance: 2, notes: '村民反响热烈', photoUrls: ['https://img.example.org/a.jpg'] }).expect(200);
      expect(delivered.body).toMatchObject({ status: 'delivered', attendance: 2, photoUrls: ['https://img.example.org/a.jpg'] });

      // The resident finds what they attended, to rate it; someone who did not come finds nothing.
      expect((await t.http().get('/api/me/services').set(bearer(a.accessToken)).expect(200)).body).toEqual({
        items: [expect.objectContaining({ orderId: id, title: '戏曲名家讲座', myScore: null })],
        total: 1,
        page: 1,
        pageSize: 50,
      });
      expect((await t.http().get('/api/me/services').set(bearer(c.accessToken)).expect(200)).body).toMatchObject({ items: [], total: 0 });
      const rating = await t.http().post(`/api/service-orders/${id}/ratings`).set(bearer(a.accessToken)).send({ score: 5, comment: '很精彩' }).expect(201);
      expect((await t.http().get('/api/me/services').set(bearer(a.accessToken)).expect(200)).body.items[0].myScore).toBe(5);
      expect(rating.body).toMatchObject({ orderId: id, raterKind: 'resident', score: 5 });
      expect((await t.http().post(`/api/service-orders/${id}/ratings`).set(bearer(a.accessToken)).send({ score: 1 }).expect(409)).body.code).toBe('ALREADY_RATED');
      // Registered but never came: no rating.
      expect((await t.http().post(`/api/service-orders/${id}/ratings`).set(bearer(c.accessToken)).send({ score: 1 }).expect(403)).body.code).toBe('RATING_NOT_ALLOWED');
      expect((await t.http().post(`/api/service-orders/${id}/ratings`).set(bearer(b.accessToken)).send({ score: 6 }).expect(400)).body.details.errors[0].field).toBe('score');

      // 送达确认: the organizer of the village confirms it came; the order stays delivered and shows who and when.
      expect((await act(otherOrganizer, id, 'confirm').expect(404)).body.code).toBe('ORDER_NOT_FOUND');
      await act(operator, id, 'confirm').expect(403);
      expect((await act(organizer, id, 'confirm', { note: '' }).expect(400)).body.details.errors[0].field).toBe('note');
      const beforeConfirm = Date.now();
      const confirmed = await act(organizer, id, 'confirm', { note: '村民都说好' }).expect(200);
      expect(confirmed.body).toMatchObject({ status: 'delivered', confirmedBy: organizerId });
      expect(new Date(confirmed.body.confirmedAt).getTime()).toBeGreaterThanOrEqual(beforeConfirm - 1000);
      const again = await act(organizer, id, 'confirm').expect(409);
      expect(again.body).toMatchObject({ code: 'ORDER_ALREADY_CONFIRMED', details: { confirmedAt: confirmed.body.confirmedAt } });
      const listedConfirmed = await t.http().get(`/api/service-orders?status=delivered&itemId=${itemId}`).set(bearer(operator)).expect(200);
      expect(listedConfirmed.body.items).toEqual([expect.objectContaining({ id, confirmedAt: confirmed.body.confirmedAt, confirmedBy: organizerId })]);
      const confirmNotice = (await t.http().get('/api/me/notifications').set(bearer(operator)).expect(200)).body.filter(
        (n: { kind: string; payload: { orderId: string } }) => n.kind === 'service_order_confirmed' && n.payload.orderId === id,
      );
      expect(confirmNotice).toEqual([expect.objectContaining({ title: '社区已确认送达', body: '《戏曲名家讲座》已由社区确认送达。备注：村民都说好' })]);

      expect((await act(otherOrganizer, id, 'evaluate', { score: 4 }).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
      expect((await act(organizer, id, 'evaluate', { score: 4, comment: '准时，内容好' }).expect(200)).body).toMatchObject({ status: 'evaluated', confirmedAt: confirmed.body.confirmedAt });
      expect((await act(organizer, id, 'confirm').expect(409)).body.details).toMatchObject({ status: 'evaluated', action: 'confirm' });
      expect((await act(organizer, id, 'evaluate', { score: 4 }).expect(409)).body.details.status).toBe('evaluated');
      expect((await act(organizer, id, 'cancel', { reason: '太晚了' }).expect(409)).body.details.status).toBe('evaluated');

      const full = await t.http().get(`/api/service-orders/${id}`).set(bearer(organizer)).expect(200);
      expect(full.body.history.map((h: { fromStatus: string | null; toStatus: string; step: string; actorRole: string }) => [h.fromStatus, h.toStatus, h.step, h.actorRole])).toEqual([
        [null, 'submitted', 'submitted', 'organizer'],
        ['submitted', 'accepted', 'accepted', 'operator'],
        ['accepted', 'scheduled', 'scheduled', 'operator'],
        ['scheduled', 'delivered', 'delivered', 'operator'],
        ['delivered', 'delivered', 'confirmed', 'organizer'],
        ['delivered', 'evaluated', 'evaluated', 'organizer'],
      ]);
      expect(full.body.history[1].reason).toBe('已联系村委会');
      expect(full.body.history[4]).toMatchObject({ actorId: organizerId, reason: '村民都说好', at: confirmed.body.confirmedAt });
      expect(full.body).toMatchObject({ status: 'evaluated', confirmedBy: organizerId, confirmedAt: confirmed.body.confirmedAt });
      await t.http().get(`/api/service-orders/${id}`).set(bearer(otherOperator)).expect(404);
      await t.http().get(`/api/service-orders/${id}`).set(bearer(otherOrganizer)).expect(404);

      const orgInbox = await t.http().get('/api/me/notifications').set(bearer(organizer)).expect(200);
      const notices = orgInbox.body.filter((n: { kind: string; payload: { orderId: string } }) => n.kind === 'service_order_status' && n.payload.orderId === id);
      expect(notices.map((n: { payload: { status: string } }) => n.payload.status).sort()).toEqual(['accepted', 'delivered', 'scheduled']);
      // Told in words, not codes: no Chinese message shows "accepted".
      expect(notices.map((n: { body: string }) => n.body).sort()).toEqual([
        '《戏曲名家讲座》的订单状态已变为「已受理」。说明：已联系村委会',
        '《戏曲名家讲座》的订单状态已变为「已排期」。',
        '《戏曲名家讲座》的订单状态已变为「已配送」。说明：村民反响热烈',
      ]);
      const inEnglish = await t.http().get('/api/me/notifications').set(bearer(organizer)).set('Accept-Language', 'en').expect(200);
      expect(inEnglish.body.find((n: { kind: string; payload: { orderId: string; status: string } }) => n.payload.orderId === id && n.payload.status === 'accepted').body).toBe(
        'The order for “戏曲名家讲座” is now accepted. Note: 已联系村委会',
      );

      // The delivery counts where it happened (the village), for the indicators, in the same transaction.
      const db = t.app.get(DataSource);
      const events = await db.query(`SELECT region_id, branch_id, attributes FROM usage_event WHERE kind = 'service_delivered' AND attributes->>'orderId' = $1`, [id]);
      expect(events).toEqual([
        { region_id: village, branch_id: pointId, attributes: expect.objectContaining({ category: 'lecture', audience: 0, attendance: 2, providerKind: 'cultural_centre', regionKind: 'village' }) },
      ]);
      // A usage event carries no account: not the operator's, nor anyone's who touched the order.
      expect(events[0].attributes).not.toHaveProperty('operatorId');
      const accounts = await db.query(`SELECT id FROM staff UNION ALL SELECT id FROM patron`);
      const values = JSON.stringify(events[0].attributes);
      expect(accounts.filter((a: { id: string }) => values.includes(a.id))).toEqual([]);

      // Lists: each sees their own.
      expect((await t.http().get(`/api/service-orders?status=evaluated`).set(bearer(operator)).expect(200)).body.items.map((o: { id: string }) => o.id)).toContain(id);
      // Another operator's list holds only orders of their own items, whatever other tests have placed.
      const theirs = (await t.http().get(`/api/service-orders?pageSize=200`).set(bearer(otherOperator)).expect(200)).body.items;
      expect(theirs.map((o: { id: string }) => o.id)).not.toContain(id);
      expect(theirs.filter((o: { item: { operatorId: string } }) => o.item.operatorId !== otherOperatorId)).toEqual([]);
      // An organizer of another community does not see it listed; the village's organizer does.
      expect((await t.http().get(`/api/service-orders?pageSize=200`).set(bearer(otherOrganizer)).expect(200)).body.items.map((o: { id: string }) => o.id)).not.toContain(id);
      expect((await t.http().get(`/api/service-orders?pageSize=200&itemId=${itemId}`).set(bearer(organizer)).expect(200)).body.items.map((o: { id: string }) => o.id)).toEqual([id]);
      expect((await t.http().get(`/api/service-orders?regionId=${community}`).set(bearer(admin)).expect(200)).body.items.map((o: { id: string }) => o.id)).not.toContain(id);
    });

    it('cancels before delivery with a reason: the activity is called off, its registrants told, the venue released', async () => {
      const itemId = await publishedItem({ title: '京剧演出', category: 'performance' });
      const venue = (await t.http().post('/api/venues').set(bearer(admin)).send({ branchId: centreId, name: '小剧场', kind: 'hall', capacity: 300 }).expect(201)).body.id;
      const id = (await order(organizer, { itemId, venueId: venue, address: undefined }).expect(201)).body.id;
      await act(operator, id, 'accept').expect(200);
      const startsAt = DateTime.fromISO(`${day(12)}T19:00`, { zone: ZONE }).toISO()!;
      const endsAt = DateTime.fromISO(`${day(12)}T21:00`, { zone: ZONE }).toISO()!;
      const scheduled = await act(operator, id, 'schedule', { startsAt, endsAt }).expect(200);
      const activity = (await t.http().get(`/api/activities/${scheduled.body.activityId}`).expect(200)).body;
      expect(activity.branchId).toBe(centreId);
      const db = t.app.get(DataSource);
      const booking = async () => (await db.query(`SELECT status FROM venue_booking WHERE venue_id = $1 AND kind = 'activity'`, [venue]))[0]?.status;
      expect(await booking()).toBe('confirmed');
      const r = residents[3];
      const reg = (await t.http().post(`/api/activities/${activity.id}/registrations`).set(bearer(r.accessToken)).send({ sessionId: activity.sessions[0].id }).expect(201)).body;

      expect((await act(organizer, id, 'cancel', {}).expect(400)).body.details.errors[0].field).toBe('reason');
      expect((await act(organizer, id, 'cancel', { reason: '村里停电检修' }).expect(200)).body.status).toBe('cancelled');
      expect(await booking()).toBe('cancelled');
      const mine = await t.http().get('/api/me/registrations').set(bearer(r.accessToken)).expect(200);
      expect(mine.body.find((x: { id: string }) => x.id === reg.id).status).toBe('cancelled');
      const inbox = await t.http().get('/api/me/notifications').set(bearer(r.accessToken)).expect(200);
      expect(inbox.body.find((n: { kind: string }) => n.kind === 'activity_cancelled')).toMatchObject({ title: '活动已取消', payload: { reason: '村里停电检修' } });
      const late = await t.http().post(`/api/activities/${activity.id}/registrations`).set(bearer(residents[4].accessToken)).send({ sessionId: activity.sessions[0].id }).expect(409);
      expect(late.body.code).toBe('ACTIVITY_CANCELLED');
      // Called off: no longer offered in the list, still readable by id.
      const listed = await t.http().get(`/api/activities?branchId=${centreId}&pageSize=200`).expect(200);
      expect(listed.body.items.map((a: { id: string }) => a.id)).not.toContain(activity.id);
      await t.http().get(`/api/activities/${activity.id}`).expect(200);
      // The operator hears the orderer cancelled.
      const opInbox = await t.http().get('/api/me/notifications').set(bearer(operator)).expect(200);
      expect(opInbox.body.some((n: { kind: string; payload: { orderId: string; status: string } }) => n.payload.orderId === id && n.payload.status === 'cancelled')).toBe(true);

      const declined = (await order(organizer, { itemId }).expect(201)).body.id;
      expect((await act(operator, declined, 'decline', {}).expect(400)).body.details.errors[0].field).toBe('reason');
      expect((await act(operator, declined, 'decline', { reason: '演员档期已满' }).expect(200)).body.status).toBe('declined');
      expect((await act(operator, declined, 'accept').expect(409)).body.details.status).toBe('declined');

      // The history keeps why and who: the organizer's cancel reason, the operator's decline reason.
      const steps = async (orderId: string) =>
        (await t.http().get(`/api/service-orders/${orderId}`).set(bearer(admin)).expect(200)).body.history.map((h: { step: string; actorId: string; actorRole: string; reason: string | null }) => [
          h.step,
          h.actorId,
          h.actorRole,
          h.reason,
        ]);
      expect((await steps(id)).slice(-1)).toEqual([['cancelled', organizerId, 'organizer', '村里停电检修']]);
      expect(await steps(declined)).toEqual([
        ['submitted', organizerId, 'organizer', null],
        ['declined', operatorId, 'operator', '演员档期已满'],
      ]);
    });
  });

  describe('confirming delivery (送达确认)', () => {
    /** An order of the village, taken through to delivered by the operator. */
    async function deliveredOrder(itemId: string): Promise<string> {
      const id = (await order(organizer, { itemId }).expect(201)).body.id;
      await act(operator, id, 'accept').expect(200);
      await act(operator, id, 'schedule', { startsAt: `${day(11)}T09:00:00+08:00`, endsAt: `${day(11)}T10:00:00+08:00` }).expect(200);
      await hasBegun(id);
      await act(operator, id, 'deliver', { attendance: 20 }).expect(200);
      return id;
    }
    const confirmations = async (id: string) =>
      (await t.http().get(`/api/service-orders/${id}`).set(bearer(admin)).expect(200)).body.history.filter((h: { step: string }) => h.step === 'confirmed');

    it('is recorded once however many confirm at the same moment', async () => {
      const itemId = await publishedItem({ title: '并发确认', category: 'book_delivery', monthlyCapacity: 50 });
      const db = t.app.get(DataSource);
      for (let round = 0; round < 3; round++) {
        const id = await deliveredOrder(itemId);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => act(i % 2 ? admin : organizer, id, 'confirm', { note: `第${i}次` })));
        expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
        expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'ORDER_ALREADY_CONFIRMED')).toBe(true);
        const winner = results.find((r) => r.status === 200)!.body;
        const rows = await confirmations(id);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ actorId: winner.confirmedBy, reason: expect.stringMatching(/^第\d次$/), at: winner.confirmedAt });
        const [{ notices }] = await db.query(`SELECT count(*)::int AS notices FROM notification WHERE kind = 'service_order_confirmed' AND payload->>'orderId' = $1`, [id]);
        // The orderer confirming tells the operator; an admin confirming tells the operator and the orderer.
        expect(notices).toBe(winner.confirmedBy === organizerId ? 1 : 2);
      }
    });

    it('tells both sides unless they confirmed it themselves, adds nothing to an evaluation, and is not the operator\'s to give', async () => {
      const itemId = await publishedItem({ title: '确认通知', category: 'book_delivery', monthlyCapacity: 50 });
      const db = t.app.get(DataSource);
      const confirmedNotices = async (id: string) =>
        (await db.query(`SELECT recipient_id FROM notification WHERE kind = 'service_order_confirmed' AND payload->>'orderId' = $1 ORDER BY recipient_id`, [id])).map(
          (r: { recipient_id: string }) => r.recipient_id,
        );
      const byAdmin = await deliveredOrder(itemId);
      // The operator sees the order but does not speak for the community that received it.
      expect((await act(operator, byAdmin, 'confirm').expect(403)).body.code).toBe('FORBIDDEN');
      await act(admin, byAdmin, 'confirm', { note: '电话回访确认' }).expect(200);
      expect(await confirmedNotices(byAdmin)).toEqual([operatorId, organizerId].sort());
      const byOrderer = await deliveredOrder(itemId);
      await act(organizer, byOrderer, 'confirm').expect(200);
      expect(await confirmedNotices(byOrderer)).toEqual([operatorId]);
      // An evaluation that confirms says so in its own status notice; no second notice.
      const byEvaluation = await deliveredOrder(itemId);
      await act(organizer, byEvaluation, 'evaluate', { score: 5 }).expect(200);
      expect(await confirmedNotices(byEvaluation)).toEqual([]);
    });

    it('comes with an evaluation when no one confirmed before, and never twice when both race', async () => {
      const itemId = await publishedItem({ title: '评价即确认', category: 'book_delivery', monthlyCapacity: 50 });
      const id = await deliveredOrder(itemId);
      const evaluated = await act(organizer, id, 'evaluate', { score: 5 }).expect(200);
      expect(evaluated.body).toMatchObject({ status: 'evaluated', confirmedBy: organizerId });
      expect(evaluated.body.confirmedAt).toEqual(expect.any(String));
      expect(await history(admin, id)).toEqual([
        [null, 'submitted'],
        ['submitted', 'accepted'],
        ['accepted', 'scheduled'],
        ['scheduled', 'delivered'],
        ['delivered', 'delivered'],
        ['delivered', 'evaluated'],
      ]);
      expect(await confirmations(id)).toEqual([expect.objectContaining({ actorId: organizerId, reason: null, at: evaluated.body.confirmedAt })]);

      for (let round = 0; round < 4; round++) {
        const raced = await deliveredOrder(itemId);
        const [confirm, evaluate] = await Promise.all([act(organizer, raced, 'confirm'), act(admin, raced, 'evaluate', { score: 4 })]);
        expect(evaluate.status).toBe(200);
        // Confirm first: both pass. Evaluate first: it confirmed, and the order is no longer delivered.
        if (confirm.status !== 200) expect(confirm.body).toMatchObject({ code: 'ORDER_STATE_INVALID', details: { status: 'evaluated' } });
        const rows = await confirmations(raced);
        expect(rows).toHaveLength(1);
        expect(rows[0].actorId).toBe(confirm.status === 200 ? organizerId : evaluate.body.confirmedBy);
        const now = (await t.http().get(`/api/service-orders/${raced}`).set(bearer(admin)).expect(200)).body;
        expect(now).toMatchObject({ status: 'evaluated', confirmedAt: rows[0].at, confirmedBy: rows[0].actorId });
      }
    });
  });

  describe('rescheduling with a reason', () => {
    it('tells registrants why and keeps the reason with the previous start in the history', async () => {
      const itemId = await publishedItem({ title: '改期讲座', category: 'lecture', monthlyCapacity: 10 });
      const id = (await order(organizer, { itemId }).expect(201)).body.id;
      await act(operator, id, 'accept').expect(200);
      const first = await act(operator, id, 'schedule', { startsAt: `${day(12)}T14:00:00+08:00`, endsAt: `${day(12)}T15:00:00+08:00` }).expect(200);
      const activity = (await t.http().get(`/api/activities/${first.body.activityId}`).expect(200)).body;
      const r = await registerResident(t.http);
      await t.http().post(`/api/activities/${activity.id}/registrations`).set(bearer(r.accessToken)).send({ sessionId: activity.sessions[0].id }).expect(201);

      expect((await act(operator, id, 'schedule', { startsAt: `${day(13)}T14:00:00+08:00`, endsAt: `${day(13)}T15:00:00+08:00`, reason: '' }).expect(400)).body.details.errors[0].field).toBe('reason');
      const moved = await act(operator, id, 'schedule', { startsAt: `${day(13)}T14:00:00+08:00`, endsAt: `${day(13)}T15:00:00+08:00`, reason: '主讲老师生病，顺延一天' }).expect(200);
      const inbox = await t.http().get('/api/me/notifications').set(bearer(r.accessToken)).expect(200);
      expect(inbox.body.filter((n: { kind: string }) => n.kind === 'activity_cancelled')).toEqual([
        expect.objectContaining({ payload: expect.objectContaining({ reason: '主讲老师生病，顺延一天' }), body: '您报名的《改期讲座》已取消（主讲老师生病，顺延一天），报名已自动撤销。' }),
      ]);
      const steps = (await t.http().get(`/api/service-orders/${id}`).set(bearer(organizer)).expect(200)).body.history;
      expect(steps.map((h: { step: string }) => h.step)).toEqual(['submitted', 'accepted', 'scheduled', 'rescheduled']);
      expect(steps[2]).toMatchObject({ fromStatus: 'accepted', toStatus: 'scheduled', previousStartsAt: null });
      expect(steps[3]).toMatchObject({ fromStatus: 'scheduled', toStatus: 'scheduled', actorId: operatorId, reason: '主讲老师生病，顺延一天', previousStartsAt: first.body.scheduledStartsAt });
      expect(moved.body.scheduledStartsAt).not.toBe(first.body.scheduledStartsAt);

      // Without a reason, registrants of the new date are still told it moved, in words.
      const next = (await t.http().get(`/api/activities/${moved.body.activityId}`).expect(200)).body;
      const r2 = await registerResident(t.http);
      await t.http().post(`/api/activities/${next.id}/registrations`).set(bearer(r2.accessToken)).send({ sessionId: next.sessions[0].id }).expect(201);
      await act(operator, id, 'schedule', { startsAt: `${day(14)}T14:00:00+08:00`, endsAt: `${day(14)}T15:00:00+08:00` }).expect(200);
      const told = (await t.http().get('/api/me/notifications').set(bearer(r2.accessToken)).expect(200)).body.find((n: { kind: string }) => n.kind === 'activity_cancelled');
      expect(told.payload.reason).toBe('改期 / Rescheduled');
      const last = (await t.http().get(`/api/service-orders/${id}`).set(bearer(admin)).expect(200)).body.history.at(-1);
      expect(last).toMatchObject({ step: 'rescheduled', reason: null, previousStartsAt: moved.body.scheduledStartsAt });
    });
  });

  describe('ordering once, and rating once', () => {
    it('replays the first answer to a retry with the same Idempotency-Key, and places one order', async () => {
      const itemId = await publishedItem({ title: '重试点单', category: 'book_delivery', monthlyCapacity: 10 });
      const send = (key: string) => order(organizer, { itemId, notes: '网络不好' }).set('Idempotency-Key', key);
      const firstTry = await send('order-retry-1').expect(201);
      const retry = await send('order-retry-1').expect(201);
      expect(retry.body).toEqual(firstTry.body);
      const db = t.app.get(DataSource);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM service_order WHERE item_id = $1`, [itemId]);
      expect(n).toBe(1);
      // Another key is another order.
      expect((await send('order-retry-2').expect(201)).body.id).not.toBe(firstTry.body.id);
      const [{ m }] = await db.query(`SELECT count(*)::int AS m FROM service_order WHERE item_id = $1`, [itemId]);
      expect(m).toBe(2);
    });

    it("takes a resident's rating once however many arrive at once", async () => {
      const itemId = await publishedItem({ title: '并发评价讲座', category: 'lecture', monthlyCapacity: 10 });
      const id = (await order(organizer, { itemId }).expect(201)).body.id;
      await act(operator, id, 'accept').expect(200);
      const activityId = (await act(operator, id, 'schedule', { startsAt: inMinutes(30), endsAt: inMinutes(90) }).expect(200)).body.activityId;
      const sessionId = (await t.http().get(`/api/activities/${activityId}`).expect(200)).body.sessions[0].id;
      const raters = await Promise.all(Array.from({ length: 3 }, () => registerResident(t.http)));
      for (const r of raters) {
        const reg = (await t.http().post(`/api/activities/${activityId}/registrations`).set(bearer(r.accessToken)).send({ sessionId }).expect(201)).body;
        const code = await t.http().get(`/api/registrations/${reg.id}/qr`).set(bearer(r.accessToken)).expect(200);
        await t.http().post('/api/checkins').set(bearer(operator)).send({ token: code.body.token }).expect(200);
      }
      await hasBegun(id);
      await act(operator, id, 'deliver', { attendance: 3 }).expect(200);
      const presses = await Promise.all(raters.flatMap((r, i) => Array.from({ length: 6 }, (_, k) => t.http().post(`/api/service-orders/${id}/ratings`).set(bearer(r.accessToken)).send({ score: ((i + k) % 5) + 1 }))));
      for (let i = 0; i < raters.length; i++) {
        const mine = presses.slice(i * 6, i * 6 + 6);
        expect(mine.map((p) => p.status).sort()).toEqual([201, ...Array(5).fill(409)]);
        expect(mine.filter((p) => p.status === 409).every((p) => p.body.code === 'ALREADY_RATED')).toBe(true);
      }
      const rows = await t.app.get(DataSource).query(`SELECT rater_id, score FROM service_rating WHERE order_id = $1`, [id]);
      expect(rows).toHaveLength(3);
      // Each kept rating is the one that was answered 201.
      for (const row of rows) {
        const i = raters.findIndex((r) => r.id === row.rater_id);
        expect(presses.slice(i * 6, i * 6 + 6).find((p) => p.status === 201)!.body.score).toBe(row.score);
      }
    });
  });

  describe('residents served where there is no activity (home visits, book deliveries)', () => {
    /** A village order of the item, accepted, scheduled (no public activity for these) and begun. */
    async function begunOrder(itemId: string): Promise<string> {
      const id = (await order(organizer, { itemId }).expect(201)).body.id;
      await act(operator, id, 'accept').expect(200);
      expect((await act(operator, id, 'schedule', { startsAt: `${day(11)}T09:00:00+08:00`, endsAt: `${day(11)}T10:00:00+08:00` }).expect(200)).body.activityId).toBeNull();
      await hasBegun(id);
      return id;
    }
    const rate = (r: Resident, id: string, score: number) => t.http().post(`/api/service-orders/${id}/ratings`).set(bearer(r.accessToken)).send({ score });

    it('lets the residents the operator named rate once each, and no one else', async () => {
      const itemId = await publishedItem({ title: '助老上门读报', category: 'home_visit', monthlyCapacity: 20 });
      const id = await begunOrder(itemId);
      const [a, b, c, suspended, lost] = await Promise.all(Array.from({ length: 5 }, () => registerResident(t.http)));
      await t.http().patch(`/api/cards/${suspended.cardNumber}/status`).set(bearer(admin)).send({ status: 'suspended', reason: '测试' }).expect(200);
      await t.http().post(`/api/patrons/${lost.id}/card/reissue`).set(bearer(admin)).expect(201);

      // Every entry that is not an active card is named by its place in the list; nothing is recorded.
      const bad = await act(operator, id, 'deliver', { attendance: 5, servedCardNumbers: [a.cardNumber, '110899999999', suspended.cardNumber, lost.cardNumber] }).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.details.errors.map((e: { field: string }) => e.field)).toEqual(['servedCardNumbers.1', 'servedCardNumbers.2', 'servedCardNumbers.3']);
      expect(JSON.stringify(bad.body)).not.toContain(suspended.cardNumber);
      expect((await act(operator, id, 'deliver', { attendance: 2, servedCardNumbers: [''] }).expect(400)).body.details.errors[0].field).toMatch(/^servedCardNumbers/);
      expect((await act(operator, id, 'deliver', { attendance: 2, servedCardNumbers: 'x' }).expect(400)).body.details.errors[0].field).toBe('servedCardNumbers');
      const tooMany = Array.from({ length: 201 }, () => a.cardNumber);
      expect((await act(operator, id, 'deliver', { attendance: 300, servedCardNumbers: tooMany }).expect(400)).body.details.errors[0].field).toBe('servedCardNumbers');
      // Two people served cannot be an attendance of one.
      expect((await act(operator, id, 'deliver', { attendance: 1, servedCardNumbers: [a.cardNumber, b.cardNumber] }).expect(400)).body.details.errors[0].field).toBe('attendance');
      const db = t.app.get(DataSource);
      expect((await t.http().get(`/api/service-orders/${id}`).set(bearer(operator)).expect(200)).body.status).toBe('scheduled');
      expect(await db.query(`SELECT * FROM service_order_served WHERE order_id = $1`, [id])).toEqual([]);

      // A card given twice (and with stray spaces) counts once.
      await act(operator, id, 'deliver', { attendance: 3, servedCardNumbers: [a.cardNumber, ` ${b.cardNumber} `, a.cardNumber] }).expect(200);
      const served = await db.query(`SELECT patron_id FROM service_order_served WHERE order_id = $1 ORDER BY patron_id`, [id]);
      expect(served.map((r: { patron_id: string }) => r.patron_id)).toEqual([a.id, b.id].sort());

      // Each finds the home visit among the services they attended; the third resident does not.
      for (const r of [a, b]) {
        expect((await t.http().get('/api/me/services').set(bearer(r.accessToken)).expect(200)).body.items).toEqual([
          expect.objectContaining({ orderId: id, title: '助老上门读报', category: 'home_visit', myScore: null }),
        ]);
      }
      expect((await t.http().get('/api/me/services').set(bearer(c.accessToken)).expect(200)).body).toMatchObject({ items: [], total: 0 });

      // Pressed many times at once: one rating each.
      const presses = await Promise.all([a, b].flatMap((r, i) => Array.from({ length: 6 }, (_, k) => rate(r, id, ((i + k) % 5) + 1))));
      for (let i = 0; i < 2; i++) {
        const mine = presses.slice(i * 6, i * 6 + 6);
        expect(mine.map((p) => p.status).sort()).toEqual([201, ...Array(5).fill(409)]);
        expect(mine.find((p) => p.status === 201)!.body).toMatchObject({ orderId: id, raterKind: 'resident' });
      }
      expect((await rate(c, id, 5).expect(403)).body.code).toBe('RATING_NOT_ALLOWED');
      const rows = await db.query(`SELECT rater_id FROM service_rating WHERE order_id = $1 ORDER BY rater_id`, [id]);
      expect(rows.map((r: { rater_id: string }) => r.rater_id)).toEqual([a.id, b.id].sort());
      expect(typeof (await t.http().get('/api/me/services').set(bearer(a.accessToken)).expect(200)).body.items[0].myScore).toBe('number');

      // The usage log counts them as the audience (no activity, so no check-ins) and says nothing of who they were.
      const [event] = await db.query(`SELECT attributes FROM usage_event WHERE kind = 'service_delivered' AND attributes->>'orderId' = $1`, [id]);
      expect(event.attributes).toMatchObject({ category: 'home_visit', attendance: 3, audience: 3 });
      const text = JSON.stringify(event.attributes);
      for (const r of [a, b]) {
        expect(text).not.toContain(r.id);
        expect(text).not.toContain(r.cardNumber);
      }
    });

    it('counts a named resident who also checked in once, and one who did not in the audience', async () => {
      const itemId = await publishedItem({ title: '读书会', category: 'reading_promotion', monthlyCapacity: 20 });
      const id = (await order(organizer, { itemId }).expect(201)).body.id;
      await act(operator, id, 'accept').expect(200);
      const activityId = (await act(operator, id, 'schedule', { startsAt: inMinutes(30), endsAt: inMinutes(90) }).expect(200)).body.activityId;
      const sessionId = (await t.http().get(`/api/activities/${activityId}`).expect(200)).body.sessions[0].id;
      const [p, q, r] = await Promise.all(Array.from({ length: 3 }, () => registerResident(t.http)));
      for (const x of [p, q]) {
        const reg = (await t.http().post(`/api/activities/${activityId}/registrations`).set(bearer(x.accessToken)).send({ sessionId }).expect(201)).body;
        const code = await t.http().get(`/api/registrations/${reg.id}/qr`).set(bearer(x.accessToken)).expect(200);
        await t.http().post('/api/checkins').set(bearer(operator)).send({ token: code.body.token }).expect(200);
      }
      await hasBegun(id);
      // p and q checked in (counted by their check-ins); r was served without checking in. The operator
      // tells an attendance of 2, too few: the audience still holds r, and p is not counted again.
      await act(operator, id, 'deliver', { attendance: 2, servedCardNumbers: [p.cardNumber, r.cardNumber] }).expect(200);
      const [event] = await t.app.get(DataSource).query(`SELECT attributes FROM usage_event WHERE kind = 'service_delivered' AND attributes->>'orderId' = $1`, [id]);
      expect(event.attributes).toMatchObject({ attendance: 2, audience: 1 });
      await rate(r, id, 4).expect(201);
      await rate(p, id, 4).expect(201);
    });

    it("lists a resident's services newest delivery first, paged", async () => {
      const itemId = await publishedItem({ title: '送书上门', category: 'book_delivery', monthlyCapacity: 20 });
      const reader = await registerResident(t.http);
      const db = t.app.get(DataSource);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const id = await begunOrder(itemId);
        await act(operator, id, 'deliver', { attendance: 1, servedCardNumbers: [reader.cardNumber] }).expect(200);
        ids.push(id);
      }
      // Delivered 3, 1 and 2 days ago (set by hand): newest first is ids[1], ids[2], ids[0].
      for (const [i, daysAgo] of [[0, 3], [1, 1], [2, 2]] as const) {
        await db.query(`UPDATE service_order SET delivered_at = now() - make_interval(days => $2) WHERE id = $1`, [ids[i], daysAgo]);
      }
      const all = (await t.http().get('/api/me/services').set(bearer(reader.accessToken)).expect(200)).body;
      expect(all.total).toBe(3);
      expect(all.items.map((x: { orderId: string }) => x.orderId)).toEqual([ids[1], ids[2], ids[0]]);
      const second = (await t.http().get('/api/me/services?page=2&pageSize=2').set(bearer(reader.accessToken)).expect(200)).body;
      expect(second).toEqual({ items: [expect.objectContaining({ orderId: ids[0] })], total: 3, page: 2, pageSize: 2 });
      expect((await t.http().get('/api/me/services?page=3&pageSize=2').set(bearer(reader.accessToken)).expect(200)).body).toMatchObject({ items: [], total: 3 });
      expect((await t.http().get('/api/me/services?pageSize=500').set(bearer(reader.accessToken)).expect(400)).body.details.errors[0].field).toBe('pageSize');
    });
  });

  describe('who hears of a move', () => {
    it('tells the operator and the orderer of every move the other makes, and both when a third party does', async () => {
      const itemId = await publishedItem({ title: '通知对象', category: 'book_delivery', monthlyCapacity: 50 });
      const colleagueId = (
        await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'svc-org3', password: 'Service123', name: '北村另一位组织者', role: 'organizer', regionIds: [village] }).expect(201)
      ).body.id;
      const colleague = (await login(t.http, 'svc-org3', 'Service123')).accessToken;
      const db = t.app.get(DataSource);
      /** [recipient, status] of each status notice about the order, in the order they were written. */
      const told = async (id: string) =>
        (await db.query(`SELECT recipient_id, payload->>'status' AS status FROM notification WHERE kind = 'service_order_status' AND payload->>'orderId' = $1 ORDER BY created_at, id`, [id])).map(
          (n: { recipient_id: string; status: string }) => [n.recipient_id, n.status],
        );

      // The operator's moves go to the orderer; another organizer of the village cancelling goes to both.
      const cancelled = (await order(organizer, { itemId }).expect(201)).body.id;
      await act(operator, cancelled, 'accept').expect(200);
      await act(colleague, cancelled, 'cancel', { reason: '村里另有安排' }).expect(200);
      const cancelledNotices = await told(cancelled);
      expect(cancelledNotices[0]).toEqual([organizerId, 'accepted']);
      expect(cancelledNotices.slice(1).sort()).toEqual(
        [
          [operatorId, 'cancelled'],
          [organizerId, 'cancelled'],
        ].sort(),
      );
      const cancelNotice = (await t.http().get('/api/me/notifications').set(bearer(organizer)).expect(200)).body.find(
        (n: { kind: string; payload: { orderId: string; status: string } }) => n.payload.orderId === cancelled && n.payload.status === 'cancelled',
      );
      expect(cancelNotice.body).toBe('《通知对象》的订单状态已变为「已取消」。说明：村里另有安排');
      expect((await db.query(`SELECT 1 FROM notification WHERE recipient_id = $1`, [colleagueId])).length).toBe(0);

      // The orderer cancelling tells the operator only.
      const own = (await order(organizer, { itemId }).expect(201)).body.id;
      await act(organizer, own, 'cancel', { reason: '不需要了' }).expect(200);
      expect(await told(own)).toEqual([[operatorId, 'cancelled']]);

      // The operator cancelling tells the orderer only.
      const byOperator = (await order(organizer, { itemId }).expect(201)).body.id;
      await act(operator, byOperator, 'cancel', { reason: '车辆检修' }).expect(200);
      expect(await told(byOperator)).toEqual([[organizerId, 'cancelled']]);

      // An admin evaluating, and another organizer evaluating: the operator and the orderer hear of it.
      for (const [who, token] of [['admin', admin], ['colleague', colleague]] as const) {
        const id = (await order(organizer, { itemId }).expect(201)).body.id;
        await act(operator, id, 'accept').expect(200);
        await act(operator, id, 'schedule', { startsAt: `${day(11)}T09:00:00+08:00`, endsAt: `${day(11)}T10:00:00+08:00` }).expect(200);
        await hasBegun(id);
        await act(operator, id, 'deliver', { attendance: 4 }).expect(200);
        await act(token, id, 'evaluate', { score: 4, comment: who }).expect(200);
        const notices = await told(id);
        expect(notices.slice(0, 3)).toEqual([
          [organizerId, 'accepted'],
          [organizerId, 'scheduled'],
          [organizerId, 'delivered'],
        ]);
        expect(notices.slice(3).sort()).toEqual([
          [operatorId, 'evaluated'],
          [organizerId, 'evaluated'],
        ].sort());
      }
      // The orderer evaluating tells the operator only.
      const self = (await order(organizer, { itemId }).expect(201)).body.id;
      await act(operator, self, 'accept').expect(200);
      await act(operator, self, 'schedule', { startsAt: `${day(11)}T09:00:00+08:00`, endsAt: `${day(11)}T10:00:00+08:00` }).expect(200);
      await hasBegun(self);
      await act(operator, self, 'deliver', { attendance: 4 }).expect(200);
      await act(organizer, self, 'evaluate', { score: 5 }).expect(200);
      expect((await told(self)).slice(3)).toEqual([[operatorId, 'evaluated']]);
    });
  });

  describe('monthly capacity under concurrent orders', () => {
    it('never gives more deliveries in a month than the item has, however many order at once', async () => {
      const itemId = await publishedItem({ title: '流动图书车进村', category: 'book_delivery', monthlyCapacity: 3, leadTimeDays: 0 });
      const from = day(40);
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => order(i % 2 ? organizer : admin, { itemId, preferredFrom: from, preferredTo: from })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(3).fill(201), ...Array(9).fill(409)]);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'MONTH_FULL')).toBe(true);
      const db = t.app.get(DataSource);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM service_order WHERE item_id = $1`, [itemId]);
      expect(n).toBe(3);

      // A cancelled order gives its delivery back; another month has its own.
      const placed = results.find((r) => r.status === 201)!.body.id;
      await act(admin, placed, 'cancel', { reason: '改期' }).expect(200);
      await order(organizer, { itemId, preferredFrom: from, preferredTo: from }).expect(201);
      await order(organizer, { itemId, preferredFrom: from, preferredTo: from }).expect(409);
      const nextMonth = DateTime.fromISO(from).plus({ months: 1 }).toISODate()!;
      await order(organizer, { itemId, preferredFrom: nextMonth, preferredTo: nextMonth }).expect(201);
      // Moving a scheduled order into a full month is refused too.
      const moving = (await order(organizer, { itemId, preferredFrom: nextMonth, preferredTo: nextMonth }).expect(201)).body.id;
      await act(operator, moving, 'accept').expect(200);
      const intoFull = await act(operator, moving, 'schedule', { startsAt: `${from}T10:00:00+08:00`, endsAt: `${from}T11:00:00+08:00` }).expect(409);
      expect(intoFull.body.code).toBe('MONTH_FULL');
    });
  });

  describe('parallel moves on one order', () => {
    it('lets one of two conflicting moves through and records only what happened', async () => {
      const itemId = await publishedItem({ title: '并发项目', category: 'training', monthlyCapacity: 100 });
      for (let round = 0; round < 5; round++) {
        // Decline and cancel both leave only from submitted: exactly one wins, the other is told the new state.
        const id = (await order(organizer, { itemId }).expect(201)).body.id;
        const [declined, cancelled] = await Promise.all([act(operator, id, 'decline', { reason: '档期满' }), act(organizer, id, 'cancel', { reason: '不需要了' })]);
        expect([declined.status, cancelled.status].sort()).toEqual([200, 409]);
        const winner = declined.status === 200 ? 'declined' : 'cancelled';
        expect((declined.status === 409 ? declined : cancelled).body).toMatchObject({ code: 'ORDER_STATE_INVALID', details: { status: winner } });
        expect(await history(admin, id)).toEqual([
          [null, 'submitted'],
          ['submitted', winner],
        ]);
      }
      for (let round = 0; round < 5; round++) {
        // Accept and cancel: accept then cancel are both legal, cancel then accept is not. Either way the
        // history holds exactly the moves that were answered 200, in the order they were made.
        const id = (await order(organizer, { itemId }).expect(201)).body.id;
        const [accepted, cancelled] = await Promise.all([act(operator, id, 'accept'), act(organizer, id, 'cancel', { reason: '不需要了' })]);
        expect(cancelled.status).toBe(200);
        if (accepted.status === 200) {
          expect(await history(admin, id)).toEqual([
            [null, 'submitted'],
            ['submitted', 'accepted'],
            ['accepted', 'cancelled'],
          ]);
        } else {
          expect(accepted.body).toMatchObject({ code: 'ORDER_STATE_INVALID', details: { status: 'cancelled' } });
          expect(await history(admin, id)).toEqual([
            [null, 'submitted'],
            ['submitted', 'cancelled'],
          ]);
        }
      }
    });
  });

  describe('registrations racing a call-off', () => {
    it('never leaves a live registration on an activity the cancelled order called off', async () => {
      const itemId = await publishedItem({ title: '抢报讲座', category: 'lecture', monthlyCapacity: 100 });
      const crowd = await Promise.all(Array.from({ length: 8 }, () => registerResident(t.http)));
      const db = t.app.get(DataSource);
      for (let round = 0; round < 4; round++) {
        const id = (await order(organizer, { itemId }).expect(201)).body.id;
        await act(operator, id, 'accept').expect(200);
        const activityId = (await act(operator, id, 'schedule', { startsAt: inMinutes(600 + round * 120), endsAt: inMinutes(660 + round * 120), seats: 20 }).expect(200)).body.activityId;
        const sessionId = (await t.http().get(`/api/activities/${activityId}`).expect(200)).body.sessions[0].id;
        const register = (r: Resident) => t.http().post(`/api/activities/${activityId}/registrations`).set(bearer(r.accessToken)).send({ sessionId });
        const [cancelled, ...regs] = await Promise.all([act(organizer, id, 'cancel', { reason: '临时取消' }), ...crowd.map(register)]);
        expect(cancelled.status).toBe(200);
        for (const r of regs) expect(r.status === 201 || r.body.code === 'ACTIVITY_CANCELLED').toBe(true);
        const [{ live }] = await db.query(
          `SELECT count(*)::int AS live FROM registration r JOIN activity_session s ON s.id = r.session_id
            WHERE s.activity_id = $1 AND r.status IN ('pending', 'confirmed', 'waitlisted')`,
          [activityId],
        );
        expect(live).toBe(0);
      }
    });
  });

  describe('rescheduling and places', () => {
    it('moves a delivery between months: the old month gets it back, the new one loses it', async () => {
      const itemId = await publishedItem({ title: '换月项目', category: 'book_delivery', monthlyCapacity: 1, leadTimeDays: 0 });
      const inM = day(40);
      const inN = DateTime.fromISO(inM).plus({ months: 1 }).startOf('month').plus({ days: 4 }).toISODate()!;
      const [m, n] = [inM.slice(0, 7), inN.slice(0, 7)];
      const id = (await order(organizer, { itemId, preferredFrom: inM, preferredTo: inM }).expect(201)).body.id;
      expect((await order(organizer, { itemId, preferredFrom: inM, preferredTo: inM }).expect(409)).body.code).toBe('MONTH_FULL');
      await act(operator, id, 'accept').expect(200);
      const moved = await act(operator, id, 'schedule', { startsAt: `${inN}T10:00:00+08:00`, endsAt: `${inN}T11:00:00+08:00` }).expect(200);
      expect(moved.body.month).toBe(`${n}-01`);
      const left = async (month: string) => (await t.http().get(`/api/service-items/${itemId}?month=${month}`).expect(200)).body.remainingInMonth;
      expect([await left(m), await left(n)]).toEqual([1, 0]);
      await order(organizer, { itemId, preferredFrom: inM, preferredTo: inM }).expect(201);
      expect((await order(organizer, { itemId, preferredFrom: inN, preferredTo: inN }).expect(409)).body.code).toBe('MONTH_FULL');
    });

    it('books the venue of a book delivery (no public activity), moves it on reschedule and releases it on cancel', async () => {
      const itemId = await publishedItem({ title: '图书进馆', category: 'book_delivery', monthlyCapacity: 10 });
      const venue = (await t.http().post('/api/venues').set(bearer(admin)).send({ branchId: centreId, name: '图书角', kind: 'room', capacity: 40 }).expect(201)).body.id;
      const at = (hour: number) => DateTime.fromISO(`${day(12)}T${String(hour).padStart(2, '0')}:00`, { zone: ZONE }).toISO()!;
      const db = t.app.get(DataSource);
      const bookingOf = async (bookingId: string) => (await db.query(`SELECT venue_id, kind, status, starts_at FROM venue_booking WHERE id = $1`, [bookingId]))[0];

      const id = (await order(organizer, { itemId, venueId: venue, address: undefined }).expect(201)).body.id;
      await act(operator, id, 'accept').expect(200);
      const unknownVenue = await act(operator, id, 'schedule', { startsAt: at(10), endsAt: at(11), venueId: '00000000-0000-4000-8000-000000000000' }).expect(400);
      expect(unknownVenue.body).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'venueId' } });
      const scheduled = await act(operator, id, 'schedule', { startsAt: at(10), endsAt: at(11) }).expect(200);
      expect(scheduled.body).toMatchObject({ status: 'scheduled', activityId: null, venueId: venue });
      const first = scheduled.body.venueBookingId;
      expect(await bookingOf(first)).toMatchObject({ venue_id: venue, kind: 'activity', status: 'confirmed' });

      // The venue is taken at that time, for anyone.
      const other = (await order(organizer, { itemId, venueId: venue, address: undefined }).expect(201)).body.id;
      await act(operator, other, 'accept').expect(200);
      expect((await act(operator, other, 'schedule', { startsAt: at(10), endsAt: at(11) }).expect(409)).body.code).toBe('BOOKING_OVERLAP');

      // A new time lets the old one go and holds the new one.
      const moved = await act(operator, id, 'schedule', { startsAt: at(14), endsAt: at(15) }).expect(200);
      expect(moved.body.venueBookingId).not.toBe(first);
      expect((await bookingOf(first)).status).toBe('cancelled');
      expect(await bookingOf(moved.body.venueBookingId)).toMatchObject({ status: 'confirmed' });
      await act(operator, other, 'schedule', { startsAt: at(10), endsAt: at(11) }).expect(200);

      // Cancelling releases it: the time can be taken again.
      expect((await act(organizer, id, 'cancel', { reason: '改为线上' }).expect(200)).body.venueBookingId).toBe(moved.body.venueBookingId);
      expect((await bookingOf(moved.body.venueBookingId)).status).toBe('cancelled');
      const third = (await order(organizer, { itemId, venueId: venue, address: undefined }).expect(201)).body.id;
      await act(operator, third, 'accept').expect(200);
      await act(operator, third, 'schedule', { startsAt: at(14), endsAt: at(15) }).expect(200);
    });
  });

  describe('bad input and who may order', () => {
    it('answers 400 naming the field', async () => {
      const itemId = await publishedItem({ title: '校验项目', category: 'lecture' });
      const month = await t.http().get(`/api/service-items/${itemId}?month=2026-13`).expect(400);
      expect(month.body.details.errors[0].field).toBe('month');
      const nullTitle = await t.http().patch(`/api/service-items/${itemId}`).set(bearer(operator)).send({ title: null }).expect(400);
      expect(nullTitle.body.details.errors[0].field).toBe('title');
      const unknownVenue = await order(organizer, { itemId, venueId: '00000000-0000-4000-8000-000000000000' }).expect(400);
      expect(unknownVenue.body).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'venueId' } });
      // A branch's id is not a region's.
      const branchAsRegion = await order(organizer, { itemId, regionId: pointId }).expect(400);
      expect(branchAsRegion.body).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'regionId' } });
      expect((await order(organizer, { itemId, preferredFrom: '2026-02-30' }).expect(400)).body.details.errors[0].field).toBe('preferredFrom');
      // An item that does not serve the community: 400 naming regionId (the organizer may order for the village).
      const elsewhere = await publishedItem({ title: '只服务南社区', category: 'lecture', regionIds: [community] });
      const notServing = await order(organizer, { itemId: elsewhere }).expect(400);
      expect(notServing.body).toMatchObject({ code: 'ITEM_NOT_SERVING_REGION', details: { field: 'regionId' } });
      // Filters on a region that does not exist answer as GET /api/branches does: 404 naming regionId.
      const noSuchRegion = '7a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
      for (const path of [`/api/service-orders?regionId=${noSuchRegion}`, `/api/satisfaction?by=region&regionId=${noSuchRegion}`]) {
        const res = await t.http().get(path).set(bearer(admin)).expect(404);
        expect(res.body).toMatchObject({ code: 'REGION_NOT_FOUND', details: { field: 'regionId' } });
      }
      // A period that ends before it begins names `from`.
      const backwards = await t.http().get('/api/satisfaction?by=item&from=2026-06-01&to=2026-05-31').expect(400);
      expect(backwards.body.details.errors[0].field).toBe('from');
      await t.http().get('/api/satisfaction?by=item&from=2026-06-01&to=2026-06-01').expect(200);
      for (const req of [t.http().get('/api/service-orders/not-a-uuid'), t.http().post('/api/service-orders/not-a-uuid/accept').send({})]) {
        expect((await req.set(bearer(operator)).expect(400)).body.details.errors[0].field).toBe('id');
      }
      // Nothing of it was stored.
      expect((await t.http().get(`/api/service-items/${itemId}`).expect(200)).body).toMatchObject({ title: '校验项目', ordersInMonth: 0 });
    });

    it('lets a librarian order only for the regions of their branches', async () => {
      const itemId = await publishedItem({ title: '馆员点单', category: 'lecture' });
      await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'svc-lib', password: 'Service123', name: '村馆员', role: 'librarian', branchIds: [pointId] }).expect(201);
      const librarian = (await login(t.http, 'svc-lib', 'Service123')).accessToken;
      const own = await order(librarian, { itemId, regionId: village }).expect(201);
      expect((await order(librarian, { itemId, regionId: community }).expect(403)).body.code).toBe('REGION_NOT_YOURS');
      // And sees, and acts on, only what they ordered.
      await t.http().get(`/api/service-orders/${own.body.id}`).set(bearer(librarian)).expect(200);
      const theirs = (await order(organizer, { itemId }).expect(201)).body.id;
      await t.http().get(`/api/service-orders/${theirs}`).set(bearer(librarian)).expect(404);
      expect((await act(librarian, theirs, 'cancel', { reason: 'x' }).expect(404)).body.code).toBe('ORDER_NOT_FOUND');
    });
  });

  describe('operators and the menu', () => {
    it("shows an operator other operators' published items only", async () => {
      const paused = await publishedItem({ title: '他人暂停项目' }, otherOperator);
      await t.http().post(`/api/service-items/${paused}/pause`).set(bearer(otherOperator)).expect(200);
      const seen = async (token: string, status: string) =>
        (await t.http().get(`/api/service-items?status=${status}&pageSize=200`).set(bearer(token)).expect(200)).body.items.map((i: { id: string }) => i.id);
      expect(await seen(operator, 'paused')).not.toContain(paused);
      expect(await seen(otherOperator, 'paused')).toContain(paused);
      expect(await seen(admin, 'paused')).toContain(paused);
    });
  });

  describe('satisfaction index', () => {
    it('gives the mean, count and share of 4-5 ratings per operator, item and region, as computed by hand', async () => {
      // Its own subdistrict, so other tests' ratings stay out of the figures.
      const town = (await t.http().post('/api/regions').set(bearer(admin)).send({ name: '满意镇', kind: 'subdistrict', parentId: district }).expect(201)).body.id;
      const v1 = (await t.http().post('/api/regions').set(bearer(admin)).send({ name: '一村', kind: 'village', parentId: town }).expect(201)).body.id;
      const v2 = (await t.http().post('/api/regions').set(bearer(admin)).send({ name: '二村', kind: 'village', parentId: town }).expect(201)).body.id;
      const itemA = await publishedItem({ title: '甲：讲座', category: 'home_visit', regionIds: [town] });
      const itemB = await publishedItem({ title: '乙：上门服务', category: 'home_visit', regionIds: [town], provider: '阳光社工服务社' }, otherOperator);
      const deliveredOrder = async (itemId: string, regionId: string, owner: string) => {
        const id = (await order(admin, { itemId, regionId }).expect(201)).body.id;
        await act(owner, id, 'accept').expect(200);
        await act(owner, id, 'schedule', { startsAt: `${day(11)}T09:00:00+08:00`, endsAt: `${day(11)}T10:00:00+08:00` }).expect(200);
        await hasBegun(id);
        await act(owner, id, 'deliver', { attendance: 8 }).expect(200);
        return id;
      };
      const o1 = await deliveredOrder(itemA, v1, operator);
      const o2 = await deliveredOrder(itemA, v2, operator);
      const o3 = await deliveredOrder(itemB, v2, otherOperator);
      const o4 = await deliveredOrder(itemB, v1, otherOperator);
      await act(admin, o1, 'evaluate', { score: 5 }).expect(200);
      await act(admin, o2, 'evaluate', { score: 3 }).expect(200);
      await act(admin, o3, 'evaluate', { score: 4 }).expect(200);
      await act(admin, o4, 'evaluate', { score: 2 }).expect(200);
      // A lecture of operator A in village 1: a resident who attended rates it 1, the organizer 4.
      const itemC = await publishedItem({ title: '丙：讲座', category: 'lecture', regionIds: [town] });
      const o5 = (await order(admin, { itemId: itemC, regionId: v1 }).expect(201)).body.id;
      await act(operator, o5, 'accept').expect(200);
      const activityId = (await act(operator, o5, 'schedule', { startsAt: inMinutes(30), endsAt: inMinutes(90) }).expect(200)).body.activityId;
      const sessionId = (await t.http().get(`/api/activities/${activityId}`).expect(200)).body.sessions[0].id;
      const attendee = await registerResident(t.http);
      const reg = (await t.http().post(`/api/activities/${activityId}/registrations`).set(bearer(attendee.accessToken)).send({ sessionId }).expect(201)).body;
      const code = await t.http().get(`/api/registrations/${reg.id}/qr`).set(bearer(attendee.accessToken)).expect(200);
      await t.http().post('/api/checkins').set(bearer(operator)).send({ token: code.body.token }).expect(200);
      await hasBegun(o5);
      await act(operator, o5, 'deliver', { attendance: 1 }).expect(200);
      await t.http().post(`/api/service-orders/${o5}/ratings`).set(bearer(attendee.accessToken)).send({ score: 1 }).expect(201);
      await act(admin, o5, 'evaluate', { score: 4 }).expect(200);
      // Operator A: 5, 3, 4, 1 → mean 3.25, 2 of 4 high. Operator B: 4, 2 → 3, 1 of 2. All: 19 / 6 → 3.17, 3 of 6.
      // Village 1: 5, 2, 4, 1 → 3, 0.5. Village 2: 3, 4 → 3.5, 0.5.
      const byOperator = await t.http().get(`/api/satisfaction?by=operator&regionId=${town}`).expect(200);
      expect(byOperator.body.overall).toEqual({ ratings: 6, mean: 3.17, highShare: 0.5 });
      // Published, so named by the providing organisation, never by the operator's staff account.
      expect(byOperator.body.groups).toEqual(
        expect.arrayContaining([
          { id: operatorId, name: '区文化馆', ratings: 4, mean: 3.25, highShare: 0.5 },
          expect.objectContaining({ name: '阳光社工服务社', ratings: 2, mean: 3, highShare: 0.5 }),
        ]),
      );
      expect(JSON.stringify(byOperator.body)).not.toMatch(/svc-op/);
      const byRegion = await t.http().get(`/api/satisfaction?by=region&regionId=${town}`).expect(200);
      expect(byRegion.body.groups.map((g: { name: string; mean: number; ratings: number }) => [g.name, g.ratings, g.mean]).sort()).toEqual([
        ['一村', 4, 3],
        ['二村', 2, 3.5],
      ]);
      const byItem = await t.http().get(`/api/satisfaction?by=item&regionId=${v1}`).expect(200);
      expect(byItem.body.groups.map((g: { name: string; mean: number; ratings: number }) => [g.name, g.ratings, g.mean]).sort()).toEqual([
        ['丙：讲座', 2, 2.5],
        ['乙：上门服务', 1, 2],
        ['甲：讲座', 1, 5],
      ]);
      // A `from` bound: o1's 5 is moved to a year ago by hand, so a period from last month leaves it out.
      // Operator A is then 3, 4, 1 → 2.67, 1 of 3; all 3, 4, 1, 4, 2 → 2.8, 2 of 5.
      await t.app.get(DataSource).query(`UPDATE service_rating SET created_at = now() - interval '1 year' WHERE order_id = $1`, [o1]);
      const recent = await t.http().get(`/api/satisfaction?by=operator&regionId=${town}&from=${day(-30)}`).expect(200);
      expect(recent.body.overall).toEqual({ ratings: 5, mean: 2.8, highShare: 0.4 });
      expect(recent.body.groups).toEqual(expect.arrayContaining([{ id: operatorId, name: '区文化馆', ratings: 3, mean: 2.67, highShare: 0.3333 }]));
      expect((await t.http().get(`/api/satisfaction?by=operator&regionId=${town}&from=2026-02-30`).expect(400)).body.details.errors[0].field).toBe('from');
      const none = await t.http().get(`/api/satisfaction?by=item&regionId=${town}&to=2000-01-01`).expect(200);
      expect(none.body).toMatchObject({ overall: { ratings: 0, mean: null, highShare: null }, groups: [] });
      expect((await t.http().get('/api/satisfaction?by=weather').expect(400)).body.details.errors[0].field).toBe('by');
    });
  });

  describe('demand requests (订单式)', () => {
    it('counts one vote per person under parallel presses, lists the most wanted first, and tells the asker the answer', async () => {
      const asker = residents[5];
      const asked = await t.http()
        .post('/api/demands')
        .set(bearer(asker.accessToken))
        .send({ category: 'training', title: '老年人智能手机课', description: '希望每月一次', regionId: village })
        .expect(201);
      expect(asked.body).toMatchObject({ status: 'open', votes: 1 });
      const other = await t.http()
        .post('/api/demands')
        .set(bearer(organizer))
        .send({ category: 'performance', title: '村晚演出', description: '春节前', regionId: village })
        .expect(201);

      const voters = residents.slice(6, 14);
      const twice = await Promise.all([...voters, voters[0], voters[0], voters[0]].map((r) => t.http().post(`/api/demands/${asked.body.id}/votes`).set(bearer(r.accessToken))));
      expect(twice.map((r) => r.status).sort()).toEqual([...Array(8).fill(201), ...Array(3).fill(409)]);
      expect(twice.find((r) => r.status === 409)!.body.code).toBe('ALREADY_VOTED');
      await t.http().post(`/api/demands/${asked.body.id}/votes`).set(bearer(asker.accessToken)).expect(409);
      const db = t.app.get(DataSource);
      const [{ votes, rows }] = await db.query(`SELECT d.votes, (SELECT count(*)::int FROM demand_vote v WHERE v.demand_id = d.id) AS rows FROM demand d WHERE id = $1`, [asked.body.id]);
      expect({ votes, rows }).toEqual({ votes: 9, rows: 9 });

      const popular = await t.http().get(`/api/demands?regionId=${subdistrict}`).expect(200);
      expect(popular.body.items.map((d: { id: string }) => d.id)).toEqual([asked.body.id, other.body.id]);
      expect(popular.body.items[0]).not.toHaveProperty('askedBy');

      expect((await t.http().post(`/api/demands/${asked.body.id}/answer`).set(bearer(operator)).send({ status: 'added_to_menu', answer: '已上架' }).expect(400)).body.details.errors[0].field).toBe('itemId');
      await t.http().post(`/api/demands/${asked.body.id}/answer`).set(bearer(residents[0].accessToken)).send({ status: 'declined', answer: 'x' }).expect(403);
      const itemId = await publishedItem({ title: '老年人智能手机课', category: 'training' });
      const answered = await t.http().post(`/api/demands/${asked.body.id}/answer`).set(bearer(operator)).send({ status: 'added_to_menu', answer: '已上架，欢迎点单', itemId }).expect(200);
      expect(answered.body).toMatchObject({ status: 'added_to_menu', itemId });
      const inbox = await t.http().get('/api/me/notifications').set(bearer(asker.accessToken)).expect(200);
      expect(inbox.body.find((n: { kind: string }) => n.kind === 'demand_answered')).toMatchObject({ body: '《老年人智能手机课》：已上架，欢迎点单' });
      expect((await t.http().post(`/api/demands/${asked.body.id}/votes`).set(bearer(residents[1].accessToken)).expect(409)).body.code).toBe('DEMAND_ANSWERED');
      expect((await t.http().get(`/api/demands?status=added_to_menu&regionId=${village}`).expect(200)).body.total).toBe(1);
    });
  });
});
