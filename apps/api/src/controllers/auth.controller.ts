import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { Answers, AnswersCreated, AnswersNothing } from '../http/answers';
import { RegisteredPatron, TokenPair } from '../views/accounts.views';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { PatronsService, RegisterPatronDto } from '@lib/accounts';
import { ALL_ROLES, AuthService, CurrentPrincipal, LocalAuthGuard, LoginDto, Principal, Public, RefreshDto, Roles } from '@lib/auth';
import { RateLimit } from '../http/rate-limit';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly patrons: PatronsService,
  ) {}

  /** A resident registers once and gets the one card number. */
  @Public()
  @RateLimit('auth')
  @Post('register')
  @AnswersCreated(RegisteredPatron)
  register(@Body() body: RegisterPatronDto) {
    return this.patrons.register(body);
  }

  /** Log in with card number, phone or staff username. */
  @Public()
  @RateLimit('auth')
  @UseGuards(LocalAuthGuard)
  @HttpCode(200)
  @Post('login')
  @Answers(TokenPair)
  login(@Body() _body: LoginDto, @Req() request: FastifyRequest & { user?: unknown }) {
    return this.auth.openSession(request.user as Omit<Principal, 'sessionId'>);
  }

  /** Swap a refresh token for a new pair; the old refresh token stops working. */
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @Post('refresh')
  @Answers(TokenPair)
  refresh(@Body() body: RefreshDto) {
    return this.auth.refresh(body.refreshToken);
  }

  /** End this session: its refresh token and access tokens stop working. */
  @Roles(...ALL_ROLES)
  @HttpCode(204)
  @Post('logout')
  @AnswersNothing()
  logout(@CurrentPrincipal() principal: Principal) {
    return this.auth.logout(principal);
  }
}
