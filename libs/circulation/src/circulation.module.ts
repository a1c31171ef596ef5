import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@lib/accounts';
import { CatalogModule } from '@lib/catalog';
import { NetworkModule } from '@lib/network';
import { CIRCULATION_ENTITIES } from './entities';
import { CirculationService } from './services/circulation.service';
import { BulkCheckinService } from './services/bulk-checkin.service';
import { HoldsService } from './services/holds.service';
import { ItemRouter } from './services/item-router';
import { PoliciesService } from './services/policies.service';
import { TransitsService } from './services/transits.service';
import { LoanRemindersService } from './services/loan-reminders.service';
import { InventoryService } from './services/inventory.service';
import { OfflineCirculationService } from './services/offline-circulation.service';
import { FinesService } from './services/fines.service';
import { LogPaymentProvider, PAYMENT_PROVIDER } from './payments/payment-provider';
import { Env } from '@lib/config';

@Module({
  imports: [TypeOrmModule.forFeature(CIRCULATION_ENTITIES), AccountsModule, CatalogModule, NetworkModule],
  providers: [
    PoliciesService,
    ItemRouter,
    CirculationService,
    BulkCheckinService,
    HoldsService,
    TransitsService,
    LoanRemindersService,
    InventoryService,
    OfflineCirculationService,
    FinesService,
    LogPaymentProvider,
    {
      // The online payment provider named by PAYMENT_PROVIDER; `log` is the only one built in.
      provide: PAYMENT_PROVIDER,
      inject: [Env, LogPaymentProvider],
      useFactory: (env: Env, log: LogPaymentProvider) => ({ log })[env.PAYMENT_PROVIDER],
    },
  ],
  exports: [
    PoliciesService,
    CirculationService,
    BulkCheckinService,
    HoldsService,
    TransitsService,
    LoanRemindersService,
    InventoryService,
    OfflineCirculationService,
    FinesService,
    PAYMENT_PROVIDER,
  ],
})
export class CirculationModule {}
