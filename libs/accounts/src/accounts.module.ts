import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Env } from '@lib/config';
import { NetworkModule } from '@lib/network';
import { ACCOUNT_ENTITIES } from './entities';
import { PersonalDataCipher } from './identity/personal-data-cipher';
import { PasswordHasher } from './services/password-hasher';
import { PatronsService } from './services/patrons.service';
import { StaffService } from './services/staff.service';
import { PersonalDataAccessLog } from './services/personal-data-access.service';

// Only ever used outside production (the config refuses to start production without PII_KEY).
const DEVELOPMENT_PII_KEY = 'development-only-personal-data-key-not-for-production';

/** The cipher as every app (and `npm run pii:rotate`) builds it: PII_KEY seals, PII_KEYS_PREVIOUS still open. */
export function personalDataCipherFor(env: Env): PersonalDataCipher {
  if (!env.PII_KEY) new Logger('Accounts').warn('PII_KEY not set: personal data uses the development key');
  const previous = env.PII_KEYS_PREVIOUS.split(',').filter(Boolean);
  if (previous.length) new Logger('Accounts').log(`Personal-data key rotation: ${previous.length} previous key(s) still read`);
  return new PersonalDataCipher(env.PII_KEY ?? DEVELOPMENT_PII_KEY, previous);
}

@Module({
  imports: [TypeOrmModule.forFeature(ACCOUNT_ENTITIES), NetworkModule],
  providers: [
    { provide: PersonalDataCipher, inject: [Env], useFactory: personalDataCipherFor },
    PasswordHasher,
    PatronsService,
    StaffService,
    PersonalDataAccessLog,
  ],
  exports: [PersonalDataCipher, PasswordHasher, PatronsService, StaffService, PersonalDataAccessLog],
})
export class AccountsModule {}
