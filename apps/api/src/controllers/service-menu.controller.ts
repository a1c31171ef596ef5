import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, OptionalPrincipal, Principal, Public, Roles } from '@lib/auth';
import { CreateServiceItemDto, ServiceItemMonthQuery, ServiceItemQuery, ServiceItemsService, UpdateServiceItemDto } from '@lib/services';
import { Answers, AnswersCreated } from '../http/answers';
import { ServiceItem, ServiceItemPage } from '../views/services.views';
import { UuidParam } from '../http/params';

/** 菜单: operators publish deliverable services; anyone browses what is published, with the month's capacity left. */
@ApiTags('services')
@Controller('service-items')
export class ServiceMenuController {
  constructor(private readonly items: ServiceItemsService) {}

  @Public()
  @Get()
  @Answers(ServiceItemPage)
  list(@Query() query: ServiceItemQuery, @OptionalPrincipal() principal?: Principal) {
    return this.items.list(query, principal);
  }

  @Roles('operator', 'admin')
  @Post()
  @AnswersCreated(ServiceItem)
  create(@Body() body: CreateServiceItemDto, @CurrentPrincipal() principal: Principal) {
    return this.items.create(body, principal);
  }

  @Public()
  @Get(':id')
  @Answers(ServiceItem)
  get(@UuidParam('id') id: string, @Query() query: ServiceItemMonthQuery, @OptionalPrincipal() principal?: Principal) {
    return this.items.get(id, principal, query.month);
  }

  @Roles('operator', 'admin')
  @Patch(':id')
  @Answers(ServiceItem)
  update(@UuidParam('id') id: string, @Body() body: UpdateServiceItemDto, @CurrentPrincipal() principal: Principal) {
    return this.items.update(id, body, principal);
  }

  @Roles('operator', 'admin')
  @HttpCode(200)
  @Post(':id/publish')
  @Answers(ServiceItem)
  publish(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.items.transition(id, 'publish', principal);
  }

  @Roles('operator', 'admin')
  @HttpCode(200)
  @Post(':id/pause')
  @Answers(ServiceItem)
  pause(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.items.transition(id, 'pause', principal);
  }

  @Roles('operator', 'admin')
  @HttpCode(200)
  @Post(':id/retire')
  @Answers(ServiceItem)
  retire(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.items.transition(id, 'retire', principal);
  }
}
