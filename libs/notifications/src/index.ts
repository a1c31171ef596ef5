import { Notification } from './entities/notification.entity';

export { Notification } from './entities/notification.entity';
export { NotificationsModule } from './notifications.module';
export { NotificationsService, NotificationError, notify } from './notifications.service';
export type { NewNotification } from './notifications.service';
export { render, TEMPLATES } from './templates';
export const NOTIFICATION_ENTITIES = [Notification];
