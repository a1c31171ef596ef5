import { Notification } from './entities/notification.entity';

export { Notification } from './entities/notification.entity';
export { NotificationsModule } from './notifications.module';
export type { NotificationsOptions } from './notifications.module';
export { NotificationsService, NotificationError, notify, NOTICE_EVENT } from './notifications.service';
export { LogChannel, NOTIFICATION_CHANNELS } from './channels';
export type { NotificationChannel, OutboundNotice } from './channels';
export type { NewNotification } from './notifications.service';
export { render, TEMPLATES } from './templates';
export const NOTIFICATION_ENTITIES = [Notification];
