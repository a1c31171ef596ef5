import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Answers, AnswersCreated } from '../http/answers';
import { Card, CardHolder } from '../views/accounts.views';
import { UuidParam } from '../http/params';
import { ApiTags } from '@nestjs/swagger';
import { CardStatusDto, PatronsService, type StaffAccess } from '@lib/accounts';
import { StaffAccessOf } from '../http/staff-access';
import { AuthService, Roles, VerifyCardQrDto } from '@lib/auth';

@ApiTags('cards')
@Controller()
export class CardsController {
  constructor(
    private readonly auth: AuthService,
    private readonly patrons: PatronsService,
  ) {}

  /** Staff or a kiosk scanned a resident's dynamic QR code: whose card is it, and may it be used? */
  @Roles('librarian', 'kiosk', 'admin')
  @HttpCode(200)
  @Post('cards/verify-qr')
  @Answers(CardHolder)
  verifyQr(@Body() body: VerifyCardQrDto, @StaffAccessOf() access?: StaffAccess) {
    return this.auth.verifyCardQr(body.token, access);
  }

  /** Look a card up by its number at the desk (written to the personal-data access log). */
  @Roles('librarian', 'kiosk', 'admin')
  @Get('cards/:number')
  @Answers(CardHolder)
  byNumber(@Param('number') number: string, @StaffAccessOf() access?: StaffAccess) {
    return this.patrons.cardByNumber(number, access);
  }

  /** Suspend or reactivate a card (a lost card stays lost). */
  @Roles('librarian', 'admin')
  @Patch('cards/:number/status')
  @Answers(Card)
  setStatus(@Param('number') number: string, @Body() body: CardStatusDto, @StaffAccessOf() access?: StaffAccess) {
    return this.patrons.setCardStatus(number, body, access);
  }

  /** At the desk: the resident lost the card; issue a new number. */
  @Roles('librarian', 'admin')
  @HttpCode(201)
  @Post('patrons/:id/card/reissue')
  @AnswersCreated(Card)
  reissue(@UuidParam('id') id: string, @StaffAccessOf() access?: StaffAccess) {
    return this.patrons.reissueCard(id, 'reported lost at the desk', access);
  }
}
