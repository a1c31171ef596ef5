import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NetworkModule } from '@lib/network';
import { CATALOG_ENTITIES } from './entities';
import { CatalogService } from './services/catalog.service';

@Module({
  imports: [TypeOrmModule.forFeature(CATALOG_ENTITIES), NetworkModule],
  providers: [CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
