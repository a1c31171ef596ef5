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

@Module({
  imports: [TypeOrmModule.forFeature(CIRCULATION_ENTITIES), AccountsModule, CatalogModule, NetworkModule],
  providers: [PoliciesService, ItemRouter, CirculationService, BulkCheckinService, HoldsService, TransitsService, LoanRemindersService, InventoryService, OfflineCirculationService],
  exports: [PoliciesService, CirculationService, BulkCheckinService, HoldsService, TransitsService, LoanRemindersService, InventoryService, OfflineCirculationService],
})
export class CirculationModule {}
