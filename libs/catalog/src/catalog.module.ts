import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NetworkModule } from '@lib/network';
import { CATALOG_ENTITIES } from './entities';
import { CatalogService } from './services/catalog.service';
import { ImportService } from './services/import.service';
import { ItemBulkEditService } from './services/item-bulk-edit.service';

@Module({
  imports: [TypeOrmModule.forFeature(CATALOG_ENTITIES), NetworkModule],
  providers: [CatalogService, ImportService, ItemBulkEditService],
  exports: [CatalogService, ImportService, ItemBulkEditService],
})
export class CatalogModule {}
