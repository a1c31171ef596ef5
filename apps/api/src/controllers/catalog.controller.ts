import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '@lib/auth';
import { CatalogService, CreateItemDto, CreateRecordDto, SearchQuery } from '@lib/catalog';
import { UuidParam } from '../http/params';

@ApiTags('catalogue')
@Controller('catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  /** One box for title, author, ISBN, subject and call number; shows copies per branch. */
  @Public()
  @Get('search')
  search(@Query() query: SearchQuery) {
    return this.catalog.search(query);
  }

  @Public()
  @Get('records/:id')
  record(@UuidParam('id') id: string) {
    return this.catalog.getRecord(id);
  }

  @Roles('librarian', 'admin')
  @Post('records')
  createRecord(@Body() body: CreateRecordDto) {
    return this.catalog.createRecord(body);
  }

  @Roles('librarian', 'admin')
  @Post('items')
  createItem(@Body() body: CreateItemDto) {
    return this.catalog.createItem(body);
  }

  @Roles('librarian', 'kiosk', 'admin')
  @Get('items/:barcode')
  item(@Param('barcode') barcode: string) {
    return this.catalog.itemByBarcode(barcode);
  }
}
