import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NetworkModule } from '@lib/network';
import { AccountsModule } from '@lib/accounts';
import { ActivitiesService } from './services/activities.service';
import { BOOKING_ENTITIES } from './entities';
import { BookingsService } from './services/bookings.service';
import { VenuesService } from './services/venues.service';

@Module({
  imports: [TypeOrmModule.forFeature(BOOKING_ENTITIES), NetworkModule, AccountsModule],
  providers: [VenuesService, BookingsService, ActivitiesService],
  exports: [VenuesService, BookingsService, ActivitiesService],
})
export class BookingModule {}
