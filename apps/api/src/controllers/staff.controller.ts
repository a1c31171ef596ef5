import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { Answers, AnswersCreated } from '../http/answers';
import { Staff, StaffPage } from '../views/accounts.views';
import { UuidParam } from '../http/params';
import { ApiTags } from '@nestjs/swagger';
import { CreateStaffDto, StaffService, UpdateStaffDto } from '@lib/accounts';
import { AuthService, Roles } from '@lib/auth';
import { PageQuery } from '@lib/db';

@ApiTags('staff')
@Roles('admin')
@Controller('staff')
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly auth: AuthService,
  ) {}

  @Post()
  @AnswersCreated(Staff)
  create(@Body() body: CreateStaffDto) {
    return this.staff.create(body);
  }

  @Get()
  @Answers(StaffPage)
  list(@Query() query: PageQuery) {
    return this.staff.list(query);
  }

  @Get(':id')
  @Answers(Staff)
  get(@UuidParam('id') id: string) {
    return this.staff.view(id);
  }

  /** Disabling an account or resetting its password also ends its sessions. */
  @Patch(':id')
  @Answers(Staff)
  async update(@UuidParam('id') id: string, @Body() body: UpdateStaffDto) {
    const view = await this.staff.update(id, body);
    if (body.active === false || body.password !== undefined) {
      await this.auth.endSessionsOf('staff', id, body.active === false ? 'account_disabled' : 'password_changed');
    }
    return view;
  }
}
