import { ACCOUNT_ENTITIES } from '@lib/accounts';
import { AUTH_ENTITIES } from '@lib/auth';
import { CATALOG_ENTITIES } from '@lib/catalog';
import { CIRCULATION_ENTITIES } from '@lib/circulation';
import { NETWORK_ENTITIES } from '@lib/network';
import { STATS_ENTITIES } from '@lib/stats';
import { NOTIFICATION_ENTITIES } from '@lib/notifications';
import { BOOKING_ENTITIES } from '@lib/booking';
import { SERVICES_ENTITIES } from '@lib/services';
import { INDICATOR_ENTITIES } from '@lib/indicators';
import { IdempotencyKey } from '@lib/db';

/** Every entity of every domain; the app and the migration tooling share this list. */
export const ALL_ENTITIES = [
  ...NETWORK_ENTITIES,
  ...ACCOUNT_ENTITIES,
  ...AUTH_ENTITIES,
  ...CATALOG_ENTITIES,
  ...CIRCULATION_ENTITIES,
  ...STATS_ENTITIES,
  ...NOTIFICATION_ENTITIES,
  ...BOOKING_ENTITIES,
  ...SERVICES_ENTITIES,
  ...INDICATOR_ENTITIES,
  IdempotencyKey,
];
