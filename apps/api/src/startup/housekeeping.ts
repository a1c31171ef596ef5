import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Env } from '@lib/config';
import { HoldsService } from '@lib/circulation';
import { ActivitiesService, BookingsService } from '@lib/booking';

/**
 * Every HOUSEKEEPING_INTERVAL_SECONDS: expire ready holds past their pickup deadline (their copies
 * move on), complete past venue bookings or mark them no-shows, and mark no-shows of ended sessions.
 * Every instance may run it: each step re-checks under locks or is one idempotent UPDATE.
 * (The worker app will take this over with BullMQ.)
 */
@Injectable()
export class HousekeepingTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Housekeeping');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly holds: HoldsService,
    private readonly bookings: BookingsService,
    private readonly activities: ActivitiesService,
    private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.env.HOUSEKEEPING_INTERVAL_SECONDS;
    if (seconds <= 0) return;
    this.timer = setInterval(() => void this.tick(), seconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const { expired } = await this.holds.expireOverdue();
      const bookings = await this.bookings.closePast();
      const noShows = await this.activities.markNoShows();
      if (expired || bookings.noShows || bookings.completed || noShows) {
        this.logger.log(`holds expired ${expired}; bookings completed ${bookings.completed}, no-shows ${bookings.noShows}; session no-shows ${noShows}`);
      }
    } catch (e) {
      this.logger.error({ err: { message: (e as Error).message } }, 'housekeeping failed');
    } finally {
      this.running = false;
    }
  }
}
