import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NETWORK_ENTITIES } from './entities';
import { BranchesService } from './services/branches.service';
import { RegionsService } from './services/regions.service';
import { MobileStopsService } from './services/mobile-stops.service';

@Module({
  imports: [TypeOrmModule.forFeature(NETWORK_ENTITIES)],
  providers: [RegionsService, BranchesService, MobileStopsService],
  exports: [RegionsService, BranchesService, MobileStopsService],
})
export class NetworkModule {}
