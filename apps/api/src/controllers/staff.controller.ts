import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../http/params';
import { ApiTags } from '@nestjs/swagger';
import { CreateStaffDto, StaffService, UpdateStaffDto } from '@lib/accounts';
import { Roles } from '@lib/auth';
import { PageQuery } from '@lib/db';

@ApiTags('staff')
@Roles('admin')
@Controller('staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Post()
  create(@Body() body: CreateStaffDto) {
    return this.staff.create(body);
  }

  @Get()
  list(@Query() query: PageQuery) {
    return this.staff.list(query);
  }

  @Get(':id')
  get(@UuidParam('id') id: string) {
    return this.staff.view(id);
  }

  @Patch(':id')
  update(@UuidParam('id') id: string, @Body() body: UpdateStaffDto) {
    return this.staff.update(id, body);
  }
}
