import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NetworkModule } from '@lib/network';
import { BOOKING_ENTITIES } from './entities';
import { BookingsService } from './services/bookings.service';
import { VenuesService } from './services/venues.service';

@Module({
  imports: [TypeOrmModule.forFeature(BOOKING_ENTITIES), NetworkModule],
  providers: [VenuesService, BookingsService],
  exports: [VenuesService, BookingsService],
})
export class BookingModule {}
