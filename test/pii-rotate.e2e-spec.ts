import { spawn } from 'node:child_process';
import { createCipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PasswordHasher, PersonalDataCipher, PersonalDataRotation } from '@lib/accounts';
import { residentTokens } from './utils/api-process';
import { bearer, login, RESIDENT_PASSWORD, uniqueIdNumber, uniquePhone } from './utils/factories';
import { startTestApp, TEST_JWT_SECRET, TestApp } from './utils/test-app';

const OLD_KEY = 'e2e-old-personal-data-key-that-is-long-enough-0';
const NEW_KEY = 'e2e-new-personal-data-key-that-is-long-enough-1';

/** A value as the platform sealed it before keys could rotate: `v1.<iv>.<tag>.<body>`, no key id. */
function sealV1(secret: string, plain: string): string {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'culture-platform', 'pii-encryption', 32));
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

interface Known {
  id: string;
  phone: string;
  idNumber: string | null;
}

/** Runs `npm run pii:rotate` against the test's database, as an operator would. */
function runRotateScript(databaseUrl: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'pii:rotate', '--', '--batch-size', '7'], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/**
 * Rotating the personal-data key while the API serves: the instance runs with the new key as PII_KEY and
 * the old one in PII_KEYS_PREVIOUS, the rotation re-seals residents in small batches, and residents keep
 * registering, logging in by phone (a look-up by fingerprint) and reading their profile throughout.
 */
describe('personal-data key rotation (npm run pii:rotate)', () => {
  let before: TestApp; // the deployment before the rotation: the old key only
  let during: TestApp; // new key, old key still read
  let after: TestApp | undefined; // the new key only
  let ds: DataSource;
  const oldCipher = new PersonalDataCipher(OLD_KEY);
  const duringCipher = new PersonalDataCipher(NEW_KEY, [OLD_KEY]);
  const newCipher = new PersonalDataCipher(NEW_KEY);
  const known = new Map<string, Known>();

  /** Residents written straight to the database under the old key, half in the format from before rotations (v1). */
  async function seedUnderOldKey(count: number, passwordHash: string): Promise<Known[]> {
    const rows: Known[] = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), phone: uniquePhone(), idNumber: i % 2 ? uniqueIdNumber() : null }));
    const seal = (i: number, v: string) => (i % 3 === 0 ? sealV1(OLD_KEY, v) : oldCipher.encrypt(v));
    await ds.query(
      `INSERT INTO patron (id, name, phone_fingerprint, phone_encrypted, id_number_fingerprint, id_number_encrypted, password_hash)
       SELECT u.id, '轮换读者', u.pf, u.pe, u.idf, u.ie, $6 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, pf, pe, idf, ie)`,
      [
        rows.map((r) => r.id),
        rows.map((r) => oldCipher.fingerprint('phone', r.phone)),
        rows.map((r, i) => seal(i, r.phone)),
        rows.map((r) => (r.idNumber ? oldCipher.fingerprint('id', r.idNumber) : null)),
        rows.map((r, i) => (r.idNumber ? seal(i + 1, r.idNumber) : null)),
        passwordHash,
      ],
    );
    for (const r of rows) known.set(r.id, r);
    return rows;
  }

  const masked = (k: Known) => ({
    phone: `${k.phone.slice(0, 3)}****${k.phone.slice(-4)}`,
    idNumber: k.idNumber ? `${k.idNumber.slice(0, 3)}***********${k.idNumber.slice(-4)}` : null,
  });

  beforeAll(async () => {
    before = await startTestApp({ PII_KEY: OLD_KEY });
    ds = before.app.get(DataSource);
  });
  afterAll(async () => {
    await after?.close();
    await during?.close();
    await before?.close();
  });

  it('keeps every request answering while the residents are re-sealed, then reads them all back with the new key alone', async () => {
    // Residents of the old deployment: some through the API (with cards, to log in by phone), many straight in the database.
    const registeredBefore: Known[] = [];
    for (let i = 0; i < 6; i++) {
      const k = { phone: uniquePhone(), idNumber: uniqueIdNumber() };
      const res = await before.http().post('/api/auth/register').send({ name: `旧读者${i}`, password: RESIDENT_PASSWORD, ...k }).expect(201);
      registeredBefore.push({ id: res.body.id, ...k });
      known.set(res.body.id, registeredBefore[i]);
    }
    const seeded = await seedUnderOldKey(150, await before.app.get(PasswordHasher).hash(RESIDENT_PASSWORD));
    const total = known.size;

    // Every instance restarts with the new key, the old one still read.
    during = await startTestApp({ PII_KEY: NEW_KEY, PII_KEYS_PREVIOUS: OLD_KEY }, { sameDeploymentAs: before });
    const ids = [...known.keys()];
    const tokens = residentTokens(ids, TEST_JWT_SECRET);
    const tokenOf = new Map(ids.map((id, i) => [id, tokens[i]]));
    const profileBefore = new Map<string, unknown>();
    for (const id of known.keys()) {
      const me = await during.http().get('/api/me').set(bearer(tokenOf.get(id)!)).expect(200);
      expect(me.body).toMatchObject(masked(known.get(id)!));
      profileBefore.set(id, me.body);
    }
    // A phone or ID number held under the old key is taken under the new one too.
    const taken = registeredBefore[0];
    expect((await during.http().post('/api/auth/register').send({ name: '重号', phone: taken.phone, password: RESIDENT_PASSWORD }).expect(409)).body).toMatchObject({
      code: 'PHONE_TAKEN',
      details: { field: 'phone' },
    });
    expect(
      (await during.http().post('/api/auth/register').send({ name: '重号', phone: uniquePhone(), idNumber: seeded[1].idNumber, password: RESIDENT_PASSWORD }).expect(409)).body,
    ).toMatchObject({ code: 'ID_NUMBER_TAKEN', details: { field: 'idNumber' } });

    const failures: string[] = [];
    let requests = 0;
    const registeredDuring: Known[] = [];
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
    const expectStatus = async (what: string, status: number, run: () => Promise<{ status: number; body: unknown }>) => {
      requests++;
      const res = await run();
      if (res.status !== status) failures.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      return res;
    };
    /** One of each: a registration, a log-in by phone, a profile read, a registration with a phone already taken. */
    const round = async () => {
      const fresh = { phone: uniquePhone(), idNumber: uniqueIdNumber() };
      const reg = await expectStatus('register', 201, () => during.http().post('/api/auth/register').send({ name: '新读者', password: RESIDENT_PASSWORD, ...fresh }));
      if (reg.status === 201) registeredDuring.push({ id: (reg.body as { id: string }).id, ...fresh });
      const someone = pick(registeredBefore);
      await expectStatus('login by phone', 200, () => during.http().post('/api/auth/login').send({ login: someone.phone, password: RESIDENT_PASSWORD }));
      const reader = pick([...known.keys()]);
      const me = await expectStatus('profile', 200, () => during.http().get('/api/me').set(bearer(tokenOf.get(reader)!)));
      if (me.status === 200) {
        try {
          expect(me.body).toEqual(profileBefore.get(reader));
        } catch {
          failures.push(`profile of ${reader} changed: ${JSON.stringify(me.body)}`);
        }
      }
      await expectStatus('register with a taken phone', 409, () =>
        during.http().post('/api/auth/register').send({ name: '重号', phone: pick(seeded).phone, password: RESIDENT_PASSWORD }),
      );
    };

    let rotating = true;
    let roundsDuringRotation = 0;
    const background = Array.from({ length: 3 }, async () => {
      while (rotating) await round();
    });
    const rotation = new PersonalDataRotation(during.app.get(DataSource), duringCipher);
    const progress: number[] = [];
    const result = await rotation
      .rotate({
        batchSize: 10,
        onProgress: async (p) => {
          progress.push(p.rotated);
          // Between batches, with part of the residents under each key: one round of every request.
          if (progress.length % 3 === 1) {
            await round();
            roundsDuringRotation++;
          }
        },
      })
      .finally(() => (rotating = false));
    await Promise.all(background);

    expect(failures).toEqual([]);
    expect(roundsDuringRotation).toBeGreaterThan(3);
    expect(result).toEqual({ rotated: total, total, unreadable: [], conflicts: [] });
    expect(progress.length).toBeGreaterThanOrEqual(Math.ceil(total / 10));
    expect(progress[progress.length - 1]).toBe(total);
    expect(await rotation.remaining()).toBe(0);
    for (const r of registeredDuring) known.set(r.id, r);

    // Every row under the new key, fingerprints included, holding the same values as before.
    const rows: Array<{ id: string; phone_encrypted: string; phone_fingerprint: string; id_number_encrypted: string | null; id_number_fingerprint: string | null }> =
      await ds.query(`SELECT id, phone_encrypted, phone_fingerprint, id_number_encrypted, id_number_fingerprint FROM patron`);
    expect(rows).toHaveLength(known.size);
    for (const row of rows) {
      const k = known.get(row.id)!;
      expect(row.phone_encrypted.startsWith(newCipher.currentPrefix)).toBe(true);
      expect(newCipher.decrypt(row.phone_encrypted)).toBe(k.phone);
      expect(row.phone_fingerprint).toBe(newCipher.fingerprint('phone', k.phone));
      expect(row.id_number_encrypted === null ? null : newCipher.decrypt(row.id_number_encrypted)).toBe(k.idNumber);
      expect(row.id_number_fingerprint).toBe(k.idNumber ? newCipher.fingerprint('id', k.idNumber) : null);
    }

    // The old key retired: every resident reads back exactly as before and logs in by phone.
    after = await startTestApp({ PII_KEY: NEW_KEY }, { sameDeploymentAs: before });
    for (const [id, profile] of profileBefore) {
      expect((await after.http().get('/api/me').set(bearer(tokenOf.get(id)!)).expect(200)).body).toEqual(profile);
    }
    for (const r of registeredDuring.slice(0, 5)) {
      const tokens = await login(after.http, r.phone, RESIDENT_PASSWORD);
      expect((await after.http().get('/api/me').set(bearer(tokens.accessToken)).expect(200)).body).toMatchObject({ id: r.id, ...masked(r) });
    }
    await login(after.http, registeredBefore[1].phone, RESIDENT_PASSWORD);
    expect(requests).toBeGreaterThan(4 * roundsDuringRotation);
  }, 600_000);

  it('is resumable and idempotent: the script finishes a stopped rotation, and a second run changes nothing', async () => {
    await seedUnderOldKey(30, 'x');
    const rotation = new PersonalDataRotation(ds, duringCipher);
    // Stopped after its first batch (as if the operator pressed Ctrl-C).
    await expect(
      rotation.rotate({
        batchSize: 10,
        onProgress: () => {
          throw new Error('stopped');
        },
      }),
    ).rejects.toThrow('stopped');
    expect(await rotation.remaining()).toBe(20);

    const env = { PII_KEY: NEW_KEY, PII_KEYS_PREVIOUS: OLD_KEY };
    const first = await runRotateScript(before.databaseUrl, env);
    expect(first.out).toContain('pii:rotate: 20 residents to re-seal');
    expect(first.out).toContain('20 re-sealed');
    expect(first.out).toContain('0 left under another key');
    expect(first.code).toBe(0);

    const sealed = await ds.query(`SELECT id, phone_encrypted, id_number_encrypted FROM patron ORDER BY id`);
    const second = await runRotateScript(before.databaseUrl, { PII_KEY: NEW_KEY });
    expect(second.out).toContain('pii:rotate: 0 residents to re-seal');
    expect(second.code).toBe(0);
    expect(await ds.query(`SELECT id, phone_encrypted, id_number_encrypted FROM patron ORDER BY id`)).toEqual(sealed);
  }, 300_000);

  it('reports rows no configured key opens, and exits 1, without touching them', async () => {
    const [k] = await seedUnderOldKey(1, 'x');
    const out = await runRotateScript(before.databaseUrl, { PII_KEY: NEW_KEY }); // the old key already dropped
    expect(out.out).toContain(`open with no configured key (left as they are): ${k.id}`);
    expect(out.code).toBe(1);
    const [row] = await ds.query(`SELECT phone_fingerprint FROM patron WHERE id = $1`, [k.id]);
    expect(row.phone_fingerprint).toBe(oldCipher.fingerprint('phone', k.phone));
  }, 300_000);

  it('leaves a resident whose new fingerprint another already holds (instances briefly on different keys) and names them', async () => {
    // The same phone written twice in the moment one instance still sealed with the old key and another with the new one.
    const phone = uniquePhone();
    const [stale] = await seedUnderOldKey(1, 'x');
    await ds.query(`UPDATE patron SET phone_fingerprint = $2, phone_encrypted = $3 WHERE id = $1`, [stale.id, oldCipher.fingerprint('phone', phone), oldCipher.encrypt(phone)]);
    const fresh = randomUUID();
    await ds.query(`INSERT INTO patron (id, name, phone_fingerprint, phone_encrypted, password_hash) VALUES ($1, '新读者', $2, $3, 'x')`, [
      fresh,
      newCipher.fingerprint('phone', phone),
      newCipher.encrypt(phone),
    ]);
    const result = await new PersonalDataRotation(ds, duringCipher).rotate({ batchSize: 10 });
    expect(result.conflicts).toEqual([stale.id]);
    const [row] = await ds.query(`SELECT phone_fingerprint FROM patron WHERE id = $1`, [stale.id]);
    expect(row.phone_fingerprint).toBe(oldCipher.fingerprint('phone', phone));
    expect(await new PersonalDataRotation(ds, duringCipher).remaining()).toBe(1);
  }, 120_000);
});
