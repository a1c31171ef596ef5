import { EntityManager } from 'typeorm';
import { UsageEvent } from './entities/usage-event.entity';

export const USAGE_KINDS = [
  'loan',
  'return',
  'renewal',
  'hold_placed',
  'hold_filled',
  'transit_sent',
  'transit_received',
  'item_lost',
  'item_found',
  'claims_returned',
  'hold_cancelled',
  'hold_expired',
  'venue_booking',
  'venue_checkin',
  'activity_registration',
  'activity_attendance',
  'service_delivered',
  'visit',
  'digital_access',
] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

export interface UsageRecord {
  kind: UsageKind;
  branchId: string | null;
  /** When it happened, if not now (a door counter reporting an interval). */
  occurredAt?: Date;
  /** Where it counts when that is not the branch's region (a service delivered in a village). */
  regionId?: string | null;
  itemType?: string | null;
  patronCategory?: string | null;
  quantity?: number;
  attributes?: Record<string, unknown>;
}

/**
 * Writes usage events with the caller's EntityManager, so the event commits or rolls back with the
 * action: nothing counted that did not happen. The branch's region is filled in by the database.
 */
export async function recordUsage(em: EntityManager, ...records: UsageRecord[]): Promise<void> {
  if (!records.length) return;
  const [sql, params] = usageInsert(records);
  await em.query(sql, params);
}

/** The INSERT that records these events, for a caller that sends it with other writes (a `WriteBatch`). */
export function usageInsert(records: UsageRecord[]): [string, unknown[]] {
  const values = records.map((r, i) => {
    const o = i * 8;
    return `($${o + 1}, $${o + 2}::uuid, coalesce($${o + 7}::uuid, (SELECT region_id FROM branch WHERE id = $${o + 2}::uuid)), $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}::jsonb, coalesce($${o + 8}::timestamptz, now()))`;
  });
  const params = records.flatMap((r) => [
    r.kind,
    r.branchId,
    r.itemType ?? null,
    r.patronCategory ?? null,
    r.quantity ?? 1,
    JSON.stringify(r.attributes ?? {}),
    r.regionId ?? null,
    r.occurredAt ?? null,
  ]);
  return [`INSERT INTO usage_event (kind, branch_id, region_id, item_type, patron_category, quantity, attributes, occurred_at) VALUES ${values.join(', ')}`, params];
}
