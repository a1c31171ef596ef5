import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { INDICATOR_ENTITIES } from './entities/indicator-plan.entity';
import { IndicatorFactsService } from './services/indicator-facts.service';
import { IndicatorsService } from './services/indicators.service';
import { IndicatorExportService } from './services/indicator-export.service';

@Module({
  imports: [TypeOrmModule.forFeature(INDICATOR_ENTITIES)],
  providers: [IndicatorFactsService, IndicatorsService, IndicatorExportService],
  exports: [IndicatorsService, IndicatorExportService],
})
export class IndicatorsModule {}
