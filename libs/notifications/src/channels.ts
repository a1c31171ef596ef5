import { Injectable, Logger } from '@nestjs/common';
import type { Locale } from '@lib/errors';

/** A notice on its way out of the platform, already rendered in both languages. */
export interface OutboundNotice {
  id: string;
  recipientKind: 'patron' | 'staff';
  recipientId: string;
  kind: string;
  payload: Record<string, unknown>;
  text: Record<Locale, { title: string; body: string }>;
  createdAt: string;
}

/**
 * A way to reach a person outside the app: SMS, a WeChat template message, e-mail. A provider is one
 * class implementing this, bound by the app (`NotificationsModule.forRoot({ channels })`); domains never see it. It is called
 * after the notice's transaction commits, once, in the process that committed it; it looks up the
 * recipient's contact itself and decides which kinds it carries.
 */
export interface NotificationChannel {
  readonly name: string;
  send(notice: OutboundNotice): Promise<void>;
}

/** The channels notices go out on besides the inbox and the live push. */
export const NOTIFICATION_CHANNELS = Symbol('NOTIFICATION_CHANNELS');

/** The default channel: writes what an SMS or WeChat provider would have sent to the log. */
@Injectable()
export class LogChannel implements NotificationChannel {
  readonly name = 'log';
  private readonly logger = new Logger('Notice');

  async send(notice: OutboundNotice): Promise<void> {
    this.logger.log(`${notice.kind} → ${notice.recipientKind} ${notice.recipientId}: ${notice.text['zh-CN'].title}`);
  }
}
