import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NetworkModule } from '@lib/network';
import { CATALOG_ENTITIES } from './entities';
import { CatalogService } from './services/catalog.service';
import { ImportService } from './services/import.service';

@Module({
  imports: [TypeOrmModule.forFeature(CATALOG_ENTITIES), NetworkModule],
  providers: [CatalogService, ImportService],
  exports: [CatalogService, ImportService],
})
export class CatalogModule {}
