import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../http/params';
import { ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '@lib/auth';
import { CreateRegionDto, RegionQuery, RegionsService, UpdateRegionDto } from '@lib/network';

@ApiTags('network')
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Public()
  @Get()
  list(@Query() query: RegionQuery) {
    return this.regions.list(query);
  }

  @Public()
  @Get(':id')
  get(@UuidParam('id') id: string) {
    return this.regions.get(id);
  }

  @Roles('admin')
  @Post()
  create(@Body() body: CreateRegionDto) {
    return this.regions.create(body);
  }

  @Roles('admin')
  @Patch(':id')
  update(@UuidParam('id') id: string, @Body() body: UpdateRegionDto) {
    return this.regions.update(id, body);
  }
}
