import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { STATS_ENTITIES } from './entities';
import { StatsService } from './services/stats.service';

@Module({
  imports: [TypeOrmModule.forFeature(STATS_ENTITIES)],
  providers: [StatsService],
  exports: [StatsService],
})
export class StatsModule {}
