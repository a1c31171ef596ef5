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

@Module({
  imports: [TypeOrmModule.forFeature(ACCOUNT_ENTITIES), NetworkModule],
  providers: [
    {
      provide: PersonalDataCipher,
      inject: [Env],
      useFactory: (env: Env) => {
        if (!env.PII_KEY) new Logger('Accounts').warn('PII_KEY not set: personal data uses the development key');
        return new PersonalDataCipher(env.PII_KEY ?? DEVELOPMENT_PII_KEY);
      },
    },
    PasswordHasher,
    PatronsService,
    StaffService,
    PersonalDataAccessLog,
  ],
  exports: [PersonalDataCipher, PasswordHasher, PatronsService, StaffService, PersonalDataAccessLog],
})
export class AccountsModule {}
