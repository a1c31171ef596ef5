import { Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LiveEvents } from '@lib/realtime';
import { Notification } from './entities/notification.entity';
import { NotificationsService, NOTICE_EVENT } from './notifications.service';
import { LogChannel, NOTIFICATION_CHANNELS, NotificationChannel, OutboundNotice } from './channels';

/**
 * The inbox, plus the outside channels. Notices reach the channels after their transaction commits,
 * through the same relay as live pushes. To plug in a provider, override NOTIFICATION_CHANNELS.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Notification])],
  providers: [NotificationsService, LogChannel, { provide: NOTIFICATION_CHANNELS, inject: [LogChannel], useFactory: (log: LogChannel) => [log] }],
  exports: [NotificationsService, NOTIFICATION_CHANNELS],
})
export class NotificationsModule implements OnModuleInit {
  private readonly logger = new Logger('NotificationChannels');

  constructor(
    private readonly live: LiveEvents,
    @Inject(NOTIFICATION_CHANNELS) private readonly channels: NotificationChannel[],
  ) {}

  onModuleInit(): void {
    this.live.attach({
      deliver: async (event) => {
        if (event.event !== NOTICE_EVENT) return;
        const notice = event.data as unknown as OutboundNotice;
        await Promise.all(
          this.channels.map((c) => c.send(notice).catch((e: Error) => this.logger.warn(`${c.name}: notice ${notice.id} not sent: ${e.message}`))),
        );
      },
    });
  }
}
