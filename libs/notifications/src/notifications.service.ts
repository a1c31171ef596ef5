import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Locale } from '@lib/errors';
import { defineErrors } from '@lib/errors';
import { publishAfterCommit, rooms } from '@lib/realtime';
import { Notification } from './entities/notification.entity';
import { render } from './templates';
import type { OutboundNotice } from './channels';

/** The live event every notice also is: pushed to its recipient, and handed to the outside channels. */
export const NOTICE_EVENT = 'notification';

export const NotificationError = defineErrors({
  NOTIFICATION_NOT_FOUND: { kind: 'not_found', zh: '通知不存在', en: 'Notification not found' },
});

export interface NewNotification {
  recipientKind: 'patron' | 'staff';
  recipientId: string;
  kind: string;
  payload: Record<string, unknown>;
}

/**
 * Writes a notification with the caller's transaction, so a notice exists exactly when its event
 * happened; once that transaction commits it is also pushed live to the recipient and sent on the
 * outside channels (SMS, WeChat — the log by default).
 */
export async function notify(em: EntityManager, notification: NewNotification): Promise<void> {
  const saved = await em.getRepository(Notification).save(em.getRepository(Notification).create(notification));
  const notice: OutboundNotice = {
    id: saved.id,
    recipientKind: saved.recipientKind,
    recipientId: saved.recipientId,
    kind: saved.kind,
    payload: saved.payload,
    text: { 'zh-CN': render(saved.kind, saved.payload, 'zh-CN'), en: render(saved.kind, saved.payload, 'en') },
    createdAt: saved.createdAt.toISOString(),
  };
  const room = saved.recipientKind === 'patron' ? rooms.patron(saved.recipientId) : rooms.staff(saved.recipientId);
  publishAfterCommit(em, { room, event: NOTICE_EVENT, data: { ...notice } });
}

@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async inbox(recipientId: string, locale: Locale, unreadOnly: boolean) {
    const rows = await this.dataSource.getRepository(Notification).find({
      where: { recipientId, ...(unreadOnly ? { readAt: IsNull() } : {}) },
      order: { createdAt: 'DESC' },
      take: 100,
    });
    return rows.map((n) => ({ id: n.id, kind: n.kind, ...render(n.kind, n.payload, locale), payload: n.payload, createdAt: n.createdAt, readAt: n.readAt }));
  }

  async markRead(recipientId: string, id: string): Promise<{ id: string; readAt: Date }> {
    // A plain statement: the query builder's RETURNING handed back the id without read_at, so the answer lacked readAt.
    const [row]: Array<{ id: string; read_at: Date }> = await this.dataSource.query(
      `WITH marked AS (UPDATE notification SET read_at = coalesce(read_at, now()) WHERE id = $1 AND recipient_id = $2 RETURNING id, read_at)
       SELECT id, read_at FROM marked`,
      [id, recipientId],
    );
    if (!row) throw NotificationError.NOTIFICATION_NOT_FOUND({ id });
    return { id: row.id, readAt: row.read_at };
  }
}
