export { ALL_ENTITIES } from './entities';
export { prepareDatabase, migrate } from './database';
export type { PreparedDatabase } from './database';
