import { DynamicModule, Inject, Logger, Module, OnModuleInit, Provider, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LiveEvents } from '@lib/realtime';
import { Notification } from './entities/notification.entity';
import { NotificationsService, NOTICE_EVENT } from './notifications.service';
import { LogChannel, NOTIFICATION_CHANNELS, NotificationChannel, OutboundNotice } from './channels';

export interface NotificationsOptions {
  /**
   * The outside channels (default: `[LogChannel]`). A class is instantiated by Nest (it may inject what the
   * app provides); an object is used as it is. Listing channels replaces the default: add LogChannel to keep it.
   */
  channels?: Array<Type<NotificationChannel> | NotificationChannel>;
}

function channelProviders(channels: NonNullable<NotificationsOptions['channels']>): Provider[] {
  const classes = channels.filter((c): c is Type<NotificationChannel> => typeof c === 'function');
  return [
    ...classes,
    {
      provide: NOTIFICATION_CHANNELS,
      inject: classes,
      useFactory: (...made: NotificationChannel[]) => channels.map((c) => (typeof c === 'function' ? made[classes.indexOf(c)] : c)),
    },
  ];
}

/**
 * The inbox, plus the outside channels. Notices reach the channels after their transaction commits,
 * through the same relay as live pushes. Imported as is, the channel is LogChannel; an app binds its
 * providers with `NotificationsModule.forRoot({ channels: [SmsChannel, LogChannel] })`.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Notification])],
  providers: [NotificationsService, ...channelProviders([LogChannel])],
  exports: [NotificationsService, NOTIFICATION_CHANNELS],
})
export class NotificationsModule implements OnModuleInit {
  private readonly logger = new Logger('NotificationChannels');

  static forRoot(options: NotificationsOptions = {}): DynamicModule {
    // Extends the static metadata above; Nest registers these providers after it, so this NOTIFICATION_CHANNELS wins.
    return { module: NotificationsModule, providers: channelProviders(options.channels ?? [LogChannel]) };
  }

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
