import { Injectable } from '@nestjs/common';
import { PatronsService } from '@lib/accounts';
import { ActivitiesService, BookingsService } from '@lib/booking';
import { CirculationService, FinesService, HoldsService } from '@lib/circulation';
import { DemandsService, ServiceOrdersService } from '@lib/services';

/**
 * PIPL art. 45: a resident may obtain a copy of their personal data. One JSON document with everything the
 * platform keeps about them, unmasked (it goes to them alone), gathered through each domain's own use cases.
 */
@Injectable()
export class PersonalDataExportService {
  constructor(
    private readonly patrons: PatronsService,
    private readonly circulation: CirculationService,
    private readonly holds: HoldsService,
    private readonly fines: FinesService,
    private readonly bookings: BookingsService,
    private readonly activities: ActivitiesService,
    private readonly orders: ServiceOrdersService,
    private readonly demands: DemandsService,
  ) {}

  async exportOf(patronId: string) {
    const profile = await this.patrons.ownProfile(patronId);
    const { cards, ...person } = profile;
    const [loans, holds, fines, bookings, registrations, services, demands] = await Promise.all([
      this.circulation.loansOf(patronId, true),
      this.holds.list({ patronId }),
      this.fines.account(patronId),
      this.bookings.mine({ id: patronId, kind: 'patron', role: 'resident', branchIds: [] }),
      this.activities.mine(patronId),
      this.orders.attendedBy(patronId, { page: 1, pageSize: 200 }),
      this.demands.ofResident(patronId),
    ]);
    return {
      exportedAt: new Date(),
      format: 'culture-platform-personal-data/1',
      profile: person,
      cards,
      loans,
      holds,
      fines: { owed: fines.owed, fines: fines.fines, payments: fines.receipts },
      bookings: bookings.map((b) => ({ ...b, venue: b.venue ? { id: b.venue.id, name: b.venue.name } : undefined })),
      registrations,
      services: services.items,
      demands,
    };
  }
}
