import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Public, Roles } from '@lib/auth';
import { PageQuery } from '@lib/db';
import { AnswerDemandDto, CreateDemandDto, DemandQuery, DemandsService, SatisfactionQuery, SatisfactionService, ServiceOrdersService } from '@lib/services';
import { Answers, AnswersCreated } from '../http/answers';
import { AttendedServicePage, Demand, DemandPage, DemandVotes, SatisfactionIndex } from '../views/services.views';
import { UuidParam } from '../http/params';

/** 订单式: what residents ask for beyond the menu, the services they attended, and the published satisfaction index. */
@ApiTags('services')
@Controller()
export class DemandsController {
  constructor(
    private readonly demands: DemandsService,
    private readonly satisfaction: SatisfactionService,
    private readonly orders: ServiceOrdersService,
  ) {}

  /**
   * Delivered services the resident attended (checked in at the delivery's activity) or was named as
   * served at, to rate them, newest delivery first, paged; `myScore` once rated.
   */
  @Roles('resident')
  @Get('me/services')
  @Answers(AttendedServicePage)
  attended(@Query() query: PageQuery, @CurrentPrincipal() principal: Principal) {
    return this.orders.attendedBy(principal.id, query);
  }

  /** Most wanted first; filter by region (with the regions under it), category and state. */
  @Public()
  @Get('demands')
  @Answers(DemandPage)
  list(@Query() query: DemandQuery) {
    return this.demands.list(query);
  }

  @Roles('resident', 'organizer')
  @Post('demands')
  @AnswersCreated(Demand)
  ask(@Body() body: CreateDemandDto, @CurrentPrincipal() principal: Principal) {
    return this.demands.ask(body, principal);
  }

  @Roles('resident', 'organizer')
  @Post('demands/:id/votes')
  @AnswersCreated(DemandVotes)
  vote(@UuidParam('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.demands.vote(id, principal);
  }

  @Roles('operator', 'admin')
  @HttpCode(200)
  @Post('demands/:id/answer')
  @Answers(Demand)
  answer(@UuidParam('id') id: string, @Body() body: AnswerDemandDto, @CurrentPrincipal() principal: Principal) {
    return this.demands.answer(id, body, principal);
  }

  /** Mean rating with the count and the share of 4-5 ratings, per operator, item or region. */
  @Public()
  @Get('satisfaction')
  @Answers(SatisfactionIndex)
  index(@Query() query: SatisfactionQuery) {
    return this.satisfaction.index(query);
  }
}
