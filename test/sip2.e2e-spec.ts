import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import iconv from 'iconv-lite';
import { DataSource } from 'typeorm';
import { loadEnv } from '@lib/config';
import { Sip2Module } from '../apps/sip2/src/sip2.module';
import { Sip2Server } from '../apps/sip2/src/sip2.server';
import { bearer, login, registerResident, Resident, RESIDENT_PASSWORD, everyDay } from './utils/factories';
import { Sip2TestClient, fieldsOf } from './utils/sip2-client';
import { startTestApp, TEST_ADMIN, TestApp } from './utils/test-app';

const DATE = '20261122    101500';

describe('SIP2 kiosks over real TCP', () => {
  let t: TestApp;
  let admin: string;
  let sip: INestApplicationContext;
  let port: number;
  let gbSip: INestApplicationContext;
  let gbPort: number;
  let resident: Resident;
  const barcodes = ['SIP-0001', 'SIP-0002', 'SIP-0003'];
  const open: Sip2TestClient[] = [];

  async function startSip2(overrides: Record<string, string>) {
    // The API's own settings (minus the unset ones), as `npm run start:sip2` shares the API's environment.
    const same = Object.entries(t.env).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]);
    const env = loadEnv({ ...Object.fromEntries(same), ...overrides });
    const context = await NestFactory.createApplicationContext(Sip2Module.forRoot(env, t.databaseUrl), { logger: false });
    return { context, port: await context.get(Sip2Server).listen(0, '127.0.0.1') };
  }

  async function client(p = port, encoding = 'utf-8') {
    const c = await Sip2TestClient.open(p, encoding);
    open.push(c);
    return c;
  }

  async function kiosk(username: string, p = port, encoding = 'utf-8') {
    const c = await client(p, encoding);
    expect(await c.request(`9300CN${username}|COKiosk12345|CPx|`)).toMatch(/^941/);
    return c;
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await login(t.http, TEST_ADMIN.username, TEST_ADMIN.password)).accessToken;
    const district = await t.http().post('/api/regions').set(bearer(admin)).send({ name: '自助区', kind: 'district' }).expect(201);
    const every = everyDay('08:00', '22:00');
    const mk = async (code: string, level: string, parentId?: string) =>
      (
        await t.http()
          .post('/api/branches')
          .set(bearer(admin))
          .send({ code, name: `${code}馆`, kind: 'library', level, regionId: district.body.id, parentId, sharedCirculation: true, openingHours: every })
          .expect(201)
      ).body.id as string;
    const a = await mk('KA', 'central');
    const b = await mk('KB', 'branch', a);
    for (const [username, branchId] of [['kiosk-a', a], ['kiosk-b', b]]) {
      await t.http().post('/api/staff').set(bearer(admin)).send({ username, password: 'Kiosk12345', name: '自助机', role: 'kiosk', branchIds: [branchId] }).expect(201);
    }
    await t.http().post('/api/staff').set(bearer(admin)).send({ username: 'desk-a', password: 'Kiosk12345', name: '馆员', role: 'librarian', branchIds: [a] }).expect(201);
    const record = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '三国演义', authors: ['罗贯中'] }).expect(201);
    for (const barcode of barcodes) {
      await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: record.body.id, barcode, branchId: a, itemType: 'book' }).expect(201);
    }
    resident = await registerResident(t.http, { name: '王自助' });
    ({ context: sip, port } = await startSip2({}));
    ({ context: gbSip, port: gbPort } = await startSip2({ SIP2_ENCODING: 'gb18030', SIP2_IDLE_TIMEOUT_SECONDS: '1' }));
  });

  afterAll(async () => {
    for (const c of open) c.close();
    await sip.close();
    await gbSip.close();
    await t.close();
  });

  it('runs a kiosk session: login, status, patron information, two checkouts, a renewal, end', async () => {
    const c = await kiosk('kiosk-a');
    const status = await c.request('9900302.00');
    expect(status).toMatch(/^98YYYYNN030003\d{8} {4}\d{6}2\.00AO/);
    expect(status).toMatch(/AY1AZ[0-9A-F]{4}$/); // the request's sequence number comes back
    expect(fieldsOf(status).get('BX')).toMatch(/^[YN]{16}$/);

    const info = await c.request(`63001${DATE}          AOculture|AA${resident.cardNumber}|AD${RESIDENT_PASSWORD}|`);
    expect(info).toMatch(/^64 {14}001/);
    expect(fieldsOf(info).get('AE')).toBe('王自助');
    expect(fieldsOf(info).get('BL')).toBe('Y');
    expect(fieldsOf(info).get('CQ')).toBe('Y');

    for (const barcode of barcodes.slice(0, 2)) {
      const out = await c.request(`11YN${DATE}${' '.repeat(18)}AOculture|AA${resident.cardNumber}|AB${barcode}|ACx|`);
      expect(out).toMatch(/^121NNY/);
      expect(fieldsOf(out).get('AJ')).toBe('三国演义');
      expect(fieldsOf(out).get('AH')).toMatch(/^\d{8} {4}235959$/);
    }

    const charged = await c.request(`63001${DATE}  Y       AOculture|AA${resident.cardNumber}|AD${RESIDENT_PASSWORD}|`);
    // 64 + 14 flags + language + date, then counts: holds, overdue, charged (0002) …
    expect(charged.slice(2 + 14 + 3 + 18, 2 + 14 + 3 + 18 + 12)).toBe('000000000002');
    expect(fieldsOf(charged).all('AU').sort()).toEqual(barcodes.slice(0, 2));

    // Without the PIN: counts, a masked name, no barcodes or titles.
    const anonymous = await c.request(`63001${DATE}  Y       AOculture|AA${resident.cardNumber}|`);
    expect(anonymous.slice(2 + 14 + 3 + 18, 2 + 14 + 3 + 18 + 12)).toBe('000000000002');
    expect(fieldsOf(anonymous).get('AE')).toBe('王**');
    expect(fieldsOf(anonymous).all('AU')).toEqual([]);

    const renewed = await c.request(`29NN${DATE}${' '.repeat(18)}AOculture|AA${resident.cardNumber}|AB${barcodes[1]}|`);
    expect(renewed).toMatch(/^301YNY/);

    const again = await c.request(`29NN${DATE}${' '.repeat(18)}AOculture|AA${resident.cardNumber}|AB${barcodes[1]}|`);
    expect(again).toMatch(/^300/);
    expect(fieldsOf(again).get('AF')).toContain('续借次数上限');

    const item = await c.request(`17${DATE}AOculture|AB${barcodes[1]}|`);
    expect(item).toMatch(/^1804/); // charged
    expect(fieldsOf(item).get('BG')).toBe('KA');

    expect(await c.request(`35${DATE}AOculture|AA${resident.cardNumber}|`)).toMatch(/^36Y/);
  });

  it('checks in at another branch’s kiosk and says where the copy goes (CT/CV)', async () => {
    const c = await kiosk('kiosk-b');
    const back = await c.request(`09N${DATE}${DATE}APx|AOculture|AB${barcodes[0]}|ACx|`);
    expect(back).toMatch(/^101YNY/); // ok, resensitize, no magnetic media, alert
    const f = fieldsOf(back);
    expect(f.get('CT')).toBe('KA');
    expect(f.get('CV')).toBe('04');
    expect(f.get('AQ')).toBe('KA');
    expect(f.get('AF')).toContain('KA馆');
  });

  it('refuses a wrong patron password, an unknown card and an unknown item with ok = 0 and a message', async () => {
    const c = await kiosk('kiosk-a');
    const wrong = await c.request(`11YN${DATE}${' '.repeat(18)}AOculture|AA${resident.cardNumber}|AB${barcodes[2]}|ADnope|`);
    expect(wrong).toMatch(/^120/);
    expect(fieldsOf(wrong).get('AF')).toBe('读者密码错误');
    const unknown = await c.request(`63001${DATE}          AOculture|AA110899999990|`);
    expect(fieldsOf(unknown).get('BL')).toBe('N');
    const noItem = await c.request(`09N${DATE}${DATE}AOculture|ABNOPE-1|`);
    expect(noItem).toMatch(/^100/);
  });

  it('accepts only kiosk accounts, and nothing before login', async () => {
    const librarian = await client();
    expect(await librarian.request('9300CNdesk-a|COKiosk12345|CPx|')).toMatch(/^940/);
    const wrong = await client();
    expect(await wrong.request('9300CNkiosk-a|COwrong-pass1|CPx|')).toMatch(/^940/);
    const anonymous = await client();
    const refused = await anonymous.request(`11YN${DATE}${' '.repeat(18)}AOculture|AA${resident.cardNumber}|AB${barcodes[2]}|`);
    expect(refused).toMatch(/^120/);
  });

  it('asks for a resend of a bad checksum or an unreadable message, and resends its last answer on 97', async () => {
    const c = await kiosk('kiosk-a');
    const good = c.frame(`17${DATE}AOculture|AB${barcodes[2]}|`);
    const tampered = Buffer.from(good);
    tampered[tampered.length - 2] = tampered[tampered.length - 2] === 0x30 ? 0x31 : 0x30;
    expect(await c.send(tampered)).toBe('96AZFEF6');
    expect(await c.send(Buffer.from('XX this is not SIP\r'))).toBe('96AZFEF6');
    expect(await c.send(Buffer.from('11YN\r'))).toBe('96AZFEF6'); // truncated
    const answer = await c.send(good);
    expect(answer).toMatch(/^1803/);
    expect(await c.send(c.frame('97'))).toBe(answer);
  });

  it('answers a retransmitted message as before instead of acting twice', async () => {
    const c = await kiosk('kiosk-a');
    const r = await registerResident(t.http);
    const out = await c.request(`11YN${DATE}${' '.repeat(18)}AOculture|AA${r.cardNumber}|AB${barcodes[2]}|`);
    expect(out).toMatch(/^121NNY/);
    const renew = c.frame(`29NN${DATE}${' '.repeat(18)}AOculture|AA${r.cardNumber}|AB${barcodes[2]}|`);
    const first = await c.send(renew);
    expect(first).toMatch(/^301Y/);
    expect(await c.send(renew)).toBe(first); // same bytes, same answer: one renewal, not two
    // Checking out a copy one already has is a renewal; the network default allows one, already used.
    const again = await c.request(`11YN${DATE}${' '.repeat(18)}AOculture|AA${r.cardNumber}|AB${barcodes[2]}|`);
    expect(again).toMatch(/^120/);
    expect(fieldsOf(again).get('AF')).toContain('续借次数上限');
    expect(await c.request(`09N${DATE}${DATE}AOculture|AB${barcodes[2]}|`)).toMatch(/^101/);
  });

  it('does not take phone numbers or lost cards as cards, and answers unsupported messages in kind', async () => {
    const c = await kiosk('kiosk-a');
    const byPhone = await c.request(`63001${DATE}          AOculture|AA${resident.phone}|`);
    expect(fieldsOf(byPhone).get('BL')).toBe('N');
    expect(fieldsOf(byPhone).get('AE')).toBe('');
    const status = await c.request('9900302.00');
    expect(fieldsOf(status).get('BX')).toBe('YYYNYYYYYYYNNNYN');
    expect(await c.request(`65${DATE}AOculture|AA${resident.cardNumber}|`)).toMatch(/^660/);
    // Fee Paid is understood; with nothing owed, no payment is accepted.
    expect(await c.request(`37${DATE}0100CNYAOculture|AA${resident.cardNumber}|BV1.00|`)).toMatch(/^38N/);
  });

  it('takes a fee paid at the kiosk (37) towards the fines, never more than owed, and reports what is owed (BV) in 23 and 63', async () => {
    const db = t.app.get(DataSource);
    const payer = await registerResident(t.http, { name: '李缴费' });
    await db.query(`INSERT INTO fine (patron_id, amount, reason) VALUES ($1, 2.50, 'overdue')`, [payer.id]);
    const c = await kiosk('kiosk-a');
    const owed = async () => {
      const info = fieldsOf(await c.request(`63001${DATE}          AOculture|AA${payer.cardNumber}|`));
      const status = fieldsOf(await c.request(`23001${DATE}AOculture|AA${payer.cardNumber}|`));
      expect(status.get('BH')).toBe('CNY');
      expect(status.get('BV')).toBe(info.get('BV'));
      return info.get('BV');
    };
    expect(await owed()).toBe('2.50');

    const paid = await c.request(`37${DATE}0100CNYAOculture|AA${payer.cardNumber}|BV1.20|`);
    expect(paid).toMatch(/^38Y\d{8} {4}\d{6}AOculture\|/);
    const receipt = fieldsOf(paid).get('BK');
    expect(receipt).toMatch(/^R\d{4}-\d{6}$/);
    expect(fieldsOf(paid).get('AF')).toContain(receipt);
    expect(await owed()).toBe('1.30');

    const over = await c.request(`37${DATE}0100CNYAOculture|AA${payer.cardNumber}|BV1.31|`);
    expect(over).toMatch(/^38N/);
    expect(fieldsOf(over).get('AF')).toContain('超过应缴罚款');
    expect(await c.request(`37${DATE}0100USDAOculture|AA${payer.cardNumber}|BV1.00|`)).toMatch(/^38N/);
    expect(await c.request(`37${DATE}0100CNYAOculture|AA${payer.cardNumber}|BV1.234|`)).toMatch(/^38N/);
    expect(await c.request(`37${DATE}0100CNYAOculture|AA${payer.cardNumber}|ADwrong|BV1.00|`)).toMatch(/^38N/);
    expect(await owed()).toBe('1.30');

    const rows = await db.query(`SELECT p.method, p.amount::text AS amount, b.code FROM payment p JOIN branch b ON b.id = p.branch_id WHERE p.patron_id = $1`, [payer.id]);
    expect(rows).toEqual([{ method: 'sip2', amount: '1.20', code: 'KA' }]);
    // The desk finds the same receipt.
    await t.http().get(`/api/circulation/receipts/${receipt}`).set(bearer(admin)).expect(200);
  });

  it('stops a kiosk whose account is disabled while it is connected', async () => {
    const c = await kiosk('kiosk-b');
    const staff = await t.http().get('/api/staff?pageSize=200').set(bearer(admin)).expect(200);
    const id = staff.body.items.find((x: { username: string }) => x.username === 'kiosk-b').id;
    await t.http().patch(`/api/staff/${id}`).set(bearer(admin)).send({ active: false }).expect(200);
    try {
      expect(await c.request(`17${DATE}AOculture|AB${barcodes[2]}|`)).toMatch(/^18010001/);
    } finally {
      await t.http().patch(`/api/staff/${id}`).set(bearer(admin)).send({ active: true }).expect(200);
    }
  });

  it('reads CRLF endings and messages that arrive one byte at a time', async () => {
    const c = await kiosk('kiosk-a');
    expect(await c.send(c.frame(`17${DATE}AOculture|AB${barcodes[2]}|`, '\r\n'))).toMatch(/^1803/);
    expect(await c.send(c.frame(`17${DATE}AOculture|AB${barcodes[2]}|`), true)).toMatch(/^1803/);
  });

  it('closes a line that floods it without a terminator', async () => {
    const c = await kiosk('kiosk-a');
    const reply = c.next();
    c.write(Buffer.alloc(9000, 0x41));
    expect(await reply).toBe('96AZFEF6');
    expect(await c.waitClosed(2000)).toBe(true);
  });

  it('serves many kiosks at once', async () => {
    // Kiosks log in one after another (parallel logins of one account are limited like guesses), then work at once.
    const clients: Sip2TestClient[] = [];
    for (let i = 0; i < 20; i++) clients.push(await kiosk('kiosk-a'));
    const answers = await Promise.all(clients.map((c) => c.request(`17${DATE}AOculture|AB${barcodes[2]}|`)));
    expect(answers.every((a) => a.startsWith('1803'))).toBe(true);
  });

  it('speaks GB18030 to older kiosks, Chinese intact, and hangs up on silent ones', async () => {
    // Made before connecting: this server hangs up after one silent second.
    const rec = await t.http().post('/api/catalog/records').set(bearer(admin)).send({ title: '亅字谜' }).expect(201);
    const home = (await t.http().get('/api/catalog/items/SIP-0003').set(bearer(admin)).expect(200)).body.homeBranchId;
    await t.http().post('/api/catalog/items').set(bearer(admin)).send({ recordId: rec.body.id, barcode: 'SIP-0777', branchId: home, itemType: 'book' }).expect(201);
    const c = await kiosk('kiosk-a', gbPort, 'gb18030');
    const item = await c.request(`17${DATE}AOculture|AB${barcodes[2]}|`);
    expect(fieldsOf(item).get('AJ')).toBe('三国演义');
    // The bytes on the wire really are GB18030: 三 is 0xC8FD there.
    expect(iconv.encode('三', 'gb18030').toString('hex')).toBe('c8fd');
    // 亅 is 0x817C in GB18030: its second byte is "|". The server splits fields after decoding, so it survives.
    expect(iconv.encode('亅', 'gb18030').toString('hex')).toBe('817c');
    const tricky = await c.request(`17${DATE}AOculture|ABSIP-0777|`);
    expect(fieldsOf(tricky).get('AJ')).toBe('亅字谜');
    expect(await c.waitClosed(3000)).toBe(true);
  });
});
