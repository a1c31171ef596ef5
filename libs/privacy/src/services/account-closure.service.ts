import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PatronsService } from '@lib/accounts';
import { AuthService } from '@lib/auth';
import { BookingsService } from '@lib/booking';
import { CirculationService } from '@lib/circulation';
import { PrivacyError } from '../privacy.errors';
import { describeOpenItems, OpenItems } from '../rules/open-items';

export interface ClosedAccount {
  closedAt: Date;
  cardsEnded: number;
  sessionsEnded: number;
}

/**
 * PIPL art. 47: a resident closes their account. In one transaction under the patron row's lock: the
 * password is checked; loans out, fines owed, holds and bookings or registrations not yet over refuse it
 * (409 listing them); else returned loans forget the resident, the cards in use end and the personal fields
 * are erased. The usage log never held a person (only their category), so the statistics stay as they were.
 * A checkout racing the close waits on the same row lock: it either commits first (and the close then sees the
 * loan and refuses) or runs after (and finds the card closed).
 */
@Injectable()
export class AccountClosureService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly patrons: PatronsService,
    private readonly circulation: CirculationService,
    private readonly bookings: BookingsService,
    private readonly auth: AuthService,
  ) {}

  async close(patronId: string, password: string): Promise<ClosedAccount> {
    const closed = await this.dataSource.transaction(async (em) => {
      await this.patrons.lockForClosing(em, patronId, password);
      const open: OpenItems = { ...(await this.circulation.openObligationsOf(em, patronId)), ...(await this.bookings.openCommitmentsOf(em, patronId)) };
      const text = describeOpenItems(open);
      if (text) throw PrivacyError.ACCOUNT_HAS_OPEN_ITEMS({ ...open, openZh: text.zh, openEn: text.en });
      await this.circulation.forgetLoanHistoryOf(em, patronId);
      const { cardsEnded } = await this.patrons.eraseClosed(em, patronId);
      const [{ now }]: Array<{ now: Date }> = await em.query(`SELECT now() AS now`);
      return { closedAt: now, cardsEnded };
    });
    // After the commit: the password no longer works, so no new session can open; these end the ones in flight.
    const sessionsEnded = await this.auth.endSessionsOf('patron', patronId, 'account_closed');
    return { ...closed, sessionsEnded };
  }
}
