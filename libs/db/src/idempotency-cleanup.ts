import type { DataSource } from 'typeorm';

/** Deletes stored answers whose Idempotency-Key has expired (a retry after that acts again). Idempotent. */
export async function purgeExpiredIdempotencyKeys(dataSource: DataSource, batch = 5000): Promise<number> {
  const result = await dataSource.query(
    `DELETE FROM idempotency_key WHERE scope IN (SELECT scope FROM idempotency_key WHERE expires_at < now() LIMIT $1 FOR UPDATE SKIP LOCKED)`,
    [batch],
  );
  return (result as [unknown, number])[1] ?? 0;
}
