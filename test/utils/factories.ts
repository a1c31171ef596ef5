import TestAgent from 'supertest/lib/agent';
import { idNumberCheckChar } from '../../libs/accounts/src/identity/id-number';

let counter = 0;
const runSalt = Math.floor(Math.random() * 9000) + 1000;

/** A mainland mobile number no other test in this process has used. */
export function uniquePhone(): string {
  counter += 1;
  return `139${String(runSalt).padStart(4, '0')}${String(counter).padStart(4, '0')}`;
}

/** A valid resident ID number (correct check character) no other test in this process has used. */
export function uniqueIdNumber(): string {
  counter += 1;
  const day = String((Math.floor(counter / 1000) % 28) + 1).padStart(2, '0');
  const first17 = `110105198001${day}${String(counter % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

export const RESIDENT_PASSWORD = 'Reader2026';

export interface Resident {
  id: string;
  cardNumber: string;
  phone: string;
  accessToken: string;
  refreshToken: string;
}

export async function registerResident(http: () => TestAgent, fields: Record<string, unknown> = {}): Promise<Resident> {
  const phone = (fields.phone as string) ?? uniquePhone();
  const reg = await http()
    .post('/api/auth/register')
    .send({ name: '测试读者', phone, password: RESIDENT_PASSWORD, ...fields })
    .expect(201);
  const tokens = await login(http, phone, (fields.password as string) ?? RESIDENT_PASSWORD);
  return { id: reg.body.id, cardNumber: reg.body.cardNumber, phone, ...tokens };
}

export async function login(http: () => TestAgent, loginName: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await http().post('/api/auth/login').send({ login: loginName, password }).expect(200);
  return { accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Opening hours for every weekday, `opens` to `closes` in the branch's zone. */
export function everyDay(opens: string, closes: string): Array<{ weekday: number; opens: string; closes: string }> {
  return [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens, closes }));
}

/**
 * A district region the admin makes, and `library()` adding shared-circulation libraries to it with the
 * given opening hours: the network most circulation tests stand on. Returns the region's id too.
 */
export async function testDistrict(
  http: () => TestAgent,
  adminToken: string,
  region: { name: string } & Record<string, unknown>,
  openingHours: Array<{ weekday: number; opens: string; closes: string }>,
): Promise<{ regionId: string; library(name: string, level: string, parentId?: string): Promise<string> }> {
  const regionId = (await http().post('/api/regions').set(bearer(adminToken)).send({ kind: 'district', ...region }).expect(201)).body.id as string;
  return {
    regionId,
    library: async (name, level, parentId) =>
      (
        await http()
          .post('/api/branches')
          .set(bearer(adminToken))
          .send({ name, kind: 'library', level, regionId, parentId, sharedCirculation: true, openingHours })
          .expect(201)
      ).body.id as string,
  };
}
