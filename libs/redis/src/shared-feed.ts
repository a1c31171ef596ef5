import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/** What a follower of a channel does with it. */
export interface SharedFeedHandlers {
  /** One message, in the order Redis sent them. */
  message(message: string): void;
  /**
   * Called after each (re)subscription, once Redis has confirmed it: read what the messages mirror from
   * its source (the database), so nothing sent while the feed was away is missed. The feed counts as
   * current only once this resolves; a failure is tried again a little later.
   */
  resync(): Promise<void>;
}

/** A channel followed on a connection of its own. */
export interface SharedFeed {
  /**
   * True while the feed can be trusted to have heard every message published before a moment at most
   * `staleMs` ago: subscribed, resynced, and answering its heartbeat. False while Redis is away, the
   * connection is being re-made, or it went silent.
   */
  current(): boolean;
  close(): void;
}

export interface SharedFeedTiming {
  /** How often the connection is asked whether it still hears (PING, answered in order with the messages). */
  heartbeatMs: number;
  /** How old the last answered heartbeat may be before the feed stops counting as current. */
  staleMs: number;
  /** How long to wait before trying a failed resync (or subscription) again. */
  retryMs: number;
}

export const DEFAULT_FEED_TIMING: SharedFeedTiming = { heartbeatMs: 1000, staleMs: 3000, retryMs: 1000 };

/**
 * Follows one Redis channel on a duplicate of the app's client. Order matters on each (re)connection:
 * subscribe first, then resync from the source, so a message sent during the read is heard and one sent
 * before it is read. A PING goes out every heartbeat on the same connection: its answer comes after every
 * message published before Redis saw it, so "answered recently" bounds how late the feed can be, and a
 * connection that went silent without a reset stops counting as current within `staleMs` and is re-made.
 */
export class RedisFeed implements SharedFeed {
  private readonly logger = new Logger('RedisFeed');
  private readonly sub: Redis;
  private readonly timer: NodeJS.Timeout;
  /** Bumped whenever the connection is lost or a new sync starts; work of an older epoch is ignored. */
  private epoch = 0;
  private synced = false;
  /** When the latest answered heartbeat (or the subscription) was sent: every earlier message has been heard. */
  private heardUpTo = 0;
  private pinging = false;
  private closed = false;

  constructor(
    base: Redis,
    private readonly channel: string,
    private readonly handlers: SharedFeedHandlers,
    private readonly timing: SharedFeedTiming = DEFAULT_FEED_TIMING,
  ) {
    // Own subscription handling (autoResubscribe off): the resync must follow the confirmed subscription.
    this.sub = base.duplicate({
      autoResubscribe: false,
      enableOfflineQueue: false,
      lazyConnect: true,
      commandTimeout: Math.max(timing.staleMs - timing.heartbeatMs, 100),
    });
    this.sub.on('error', (e: Error) => this.logger.debug(`feed ${channel}: ${e.message}`));
    this.sub.on('close', () => this.lost());
    this.sub.on('ready', () => void this.sync());
    this.sub.on('message', (from: string, message: string) => {
      if (from === channel) this.handlers.message(message);
    });
    this.timer = setInterval(() => this.beat(), timing.heartbeatMs);
    this.timer.unref();
    // Connection errors are reported through 'error' and retried by ioredis itself.
    this.sub.connect().catch(() => undefined);
  }

  current(): boolean {
    return this.synced && Date.now() - this.heardUpTo < this.timing.staleMs;
  }

  close(): void {
    this.closed = true;
    this.lost();
    clearInterval(this.timer);
    this.sub.disconnect();
  }

  private lost(): void {
    this.synced = false;
    this.epoch++;
  }

  private async sync(): Promise<void> {
    if (this.closed) return;
    this.synced = false;
    const epoch = ++this.epoch;
    const sentAt = Date.now();
    try {
      await this.sub.subscribe(this.channel);
      if (epoch !== this.epoch) return;
      await this.handlers.resync();
      if (epoch !== this.epoch) return;
      this.heardUpTo = sentAt;
      this.synced = true;
    } catch (e) {
      if (epoch !== this.epoch || this.closed) return;
      this.logger.warn(`feed ${this.channel} not in sync yet (${(e as Error).message}); trying again`);
      const retry = setTimeout(() => {
        if (epoch === this.epoch && this.sub.status === 'ready') void this.sync();
      }, this.timing.retryMs);
      retry.unref();
    }
  }

  private beat(): void {
    if (!this.synced || this.pinging) return;
    const epoch = this.epoch;
    const sentAt = Date.now();
    this.pinging = true;
    this.sub.ping().then(
      () => {
        this.pinging = false;
        if (epoch === this.epoch) this.heardUpTo = Math.max(this.heardUpTo, sentAt);
      },
      (e: Error) => {
        this.pinging = false;
        if (epoch !== this.epoch || this.closed) return;
        // Silent or broken: stop trusting it and make a new connection (which subscribes and resyncs again).
        this.logger.warn(`feed ${this.channel} stopped answering (${e.message}); reconnecting`);
        this.lost();
        this.sub.disconnect(true);
      },
    );
  }
}
