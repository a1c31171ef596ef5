import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Env } from '@lib/config';
import { HoldsService } from '@lib/circulation';

/**
 * Expires ready holds past their pickup deadline and passes their copies on, every
 * HOLD_EXPIRY_INTERVAL_SECONDS. Every instance may run it: each hold is re-checked under its locks,
 * so running twice changes nothing more. (The worker app will take this over with BullMQ.)
 */
@Injectable()
export class HoldExpiryTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HoldExpiry');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly holds: HoldsService,
    private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.env.HOLD_EXPIRY_INTERVAL_SECONDS;
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
      if (expired) this.logger.log(`${expired} holds expired and passed on`);
    } catch (e) {
      this.logger.error({ err: { message: (e as Error).message } }, 'hold expiry failed');
    } finally {
      this.running = false;
    }
  }
}
