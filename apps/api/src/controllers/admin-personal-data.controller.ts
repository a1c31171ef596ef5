import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PersonalDataAccessLog, PersonalDataAccessQueryDto } from '@lib/accounts';
import { Roles } from '@lib/auth';
import { Answers } from '../http/answers';
import { PersonalDataAccessPage } from '../views/privacy.views';

@ApiTags('admin')
@Controller('admin/personal-data-access')
export class AdminPersonalDataController {
  constructor(private readonly accessLog: PersonalDataAccessLog) {}

  /** The PIPL access log: staff reads and changes of residents' personal data, newest first, paged. */
  @Roles('admin')
  @Get()
  @Answers(PersonalDataAccessPage)
  list(@Query() query: PersonalDataAccessQueryDto) {
    return this.accessLog.list({
      patronId: query.patronId,
      staffId: query.staffId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      page: query.page,
      pageSize: query.pageSize,
    });
  }
}
