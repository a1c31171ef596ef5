import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { Answers, AnswersCreated } from '../http/answers';
import { UuidParam } from '../http/params';
import { Region, RegionPage } from '../views/network.views';
import { ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '@lib/auth';
import { CreateRegionDto, RegionQuery, RegionsService, UpdateRegionDto } from '@lib/network';

@ApiTags('network')
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Public()
  @Get()
  @Answers(RegionPage)
  list(@Query() query: RegionQuery) {
    return this.regions.list(query);
  }

  @Public()
  @Get(':id')
  @Answers(Region)
  get(@UuidParam('id') id: string) {
    return this.regions.get(id);
  }

  @Roles('admin')
  @Post()
  @AnswersCreated(Region)
  create(@Body() body: CreateRegionDto) {
    return this.regions.create(body);
  }

  @Roles('admin')
  @Patch(':id')
  @Answers(Region)
  update(@UuidParam('id') id: string, @Body() body: UpdateRegionDto) {
    return this.regions.update(id, body);
  }
}
