import { ACCOUNT_ENTITIES } from '@lib/accounts';
import { AUTH_ENTITIES } from '@lib/auth';
import { NETWORK_ENTITIES } from '@lib/network';

/** Every entity of every domain; the app and the migration tooling share this list. */
export const ALL_ENTITIES = [...NETWORK_ENTITIES, ...ACCOUNT_ENTITIES, ...AUTH_ENTITIES];
