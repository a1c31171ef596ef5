import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NetworkModule } from '@lib/network';
import { BookingModule } from '@lib/booking';
import { SERVICES_ENTITIES } from './entities';
import { ServiceItemsService } from './services/service-items.service';
import { ServiceOrdersService } from './services/service-orders.service';
import { DemandsService } from './services/demands.service';
import { SatisfactionService } from './services/satisfaction.service';

@Module({
  imports: [TypeOrmModule.forFeature(SERVICES_ENTITIES), NetworkModule, BookingModule],
  providers: [ServiceItemsService, ServiceOrdersService, DemandsService, SatisfactionService],
  exports: [ServiceItemsService, ServiceOrdersService, DemandsService, SatisfactionService],
})
export class ServicesModule {}
