import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataAccessLog } from '@lib/accounts';
import { AuthService } from '@lib/auth';
import { ActivitiesService, BookingsService } from '@lib/booking';
import { HoldsService, LoanRemindersService } from '@lib/circulation';
import { Env } from '@lib/config';
import { purgeExpiredIdempotencyKeys } from '@lib/db';
import { StatsService } from '@lib/stats';

/** What a job reports when it finishes: how many things it changed, by name. */
export type JobResult = Record<string, number>;

export interface JobDefinition {
  name: string;
  /** Seconds between runs; 0 leaves the job unscheduled. */
  everySeconds: number;
  /** Runs once a day at this wall-clock time instead of every `everySeconds` from start (set everySeconds to 86400). */
  dailyAt?: { hour: number; minute: number; timeZone: string };
  run(): Promise<JobResult>;
}

/**
 * Every background job of the platform. Each is idempotent and safe on several workers at once — the
 * guarantee is in the database, not in the scheduler: holds expire one by one under the copy, title and
 * hold row locks and re-check their state; bookings and no-shows are single conditional UPDATEs; loan
 * reminders serialise on an advisory lock and skip loans already told; purges delete with SKIP LOCKED; rollup
 * rebuilds serialise on advisory locks and rewrite the same numbers from the raw log.
 */
@Injectable()
export class JobCatalogue {
  constructor(
    private readonly env: Env,
    private readonly holds: HoldsService,
    private readonly reminders: LoanRemindersService,
    private readonly bookings: BookingsService,
    private readonly activities: ActivitiesService,
    private readonly auth: AuthService,
    private readonly stats: StatsService,
    private readonly accessLog: PersonalDataAccessLog,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  definitions(): JobDefinition[] {
    const housekeeping = this.env.HOUSEKEEPING_INTERVAL_SECONDS;
    return [
      // Ready holds past their pickup deadline expire; the copy goes to the next in line (whose hold becomes ready) or home.
      { name: 'expire-holds', everySeconds: housekeeping, run: () => this.holds.expireOverdue() },
      // After sessions end, confirmed registrations nobody checked in become no-shows.
      { name: 'mark-session-no-shows', everySeconds: housekeeping, run: async () => ({ noShows: await this.activities.markNoShows() }) },
      // After bookings end: checked-in ones complete, confirmed ones nobody came to become no-shows.
      { name: 'close-venue-bookings', everySeconds: housekeeping, run: () => this.bookings.closePast() },
      // Due-soon reminders and overdue notices, once per loan, kind and due date.
      { name: 'loan-reminders', everySeconds: 3600, run: () => this.reminders.send() },
      // Expired Idempotency-Key answers, and sessions expired or ended longer than an access token lives.
      {
        name: 'purge-expired',
        everySeconds: 3600,
        run: async () => ({ idempotencyKeys: await purgeExpiredIdempotencyKeys(this.dataSource), sessions: await this.auth.purgeEndedSessions() }),
      },
      // The personal-data access log's retention: lines older than PERSONAL_DATA_LOG_DAYS (the only delete its trigger allows).
      {
        name: 'purge-personal-data-log',
        everySeconds: 86_400,
        dailyAt: { hour: 3, minute: 30, timeZone: this.env.TIME_ZONE },
        run: async () => ({ accessLogLines: await this.accessLog.purgeOlderThan(this.env.PERSONAL_DATA_LOG_DAYS) }),
      },
      // Nightly (03:00 district time): yesterday's and today's rollups, and their months', recomputed from the raw
      // log under the rollup month's lock, which only that month's new events wait for, briefly.
      {
        name: 'rebuild-recent-rollups',
        everySeconds: 86_400,
        dailyAt: { hour: 3, minute: 0, timeZone: this.env.TIME_ZONE },
        run: () => this.stats.rebuildRecentRollups(this.env.TIME_ZONE, 2),
      },
      // Every rollup recomputed from the raw log. It pauses writes to the whole log while it runs, so it is not
      // scheduled: admins run it on demand (POST /api/admin/jobs/rebuild-usage-rollups/run) as a repair.
      { name: 'rebuild-usage-rollups', everySeconds: 0, run: () => this.stats.rebuildRollups() },
    ];
  }

  find(name: string): JobDefinition | undefined {
    return this.definitions().find((d) => d.name === name);
  }
}
