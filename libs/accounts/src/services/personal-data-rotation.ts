import { DataSource, EntityManager } from 'typeorm';
import { isPgError, PgErrorCode } from '@lib/db';
import { PersonalDataCipher } from '../identity/personal-data-cipher';

export interface RotationProgress {
  /** Rows rewritten under the current key by this run. */
  rotated: number;
  /** Rows that needed rotating when the run began (rows registered since are sealed with the current key already). */
  total: number;
  /** Rows that open with no configured key, or whose values are not personal data this platform wrote; left as they are. */
  unreadable: string[];
  /** Rows whose new fingerprint another resident holds already (only possible if instances ran with different keys); left as they are. */
  conflicts: string[];
}

export interface RotationOptions {
  /** Rows per transaction: small, so the locks the rotation holds are short. */
  batchSize?: number;
  /** Rest between batches, to leave the database to the API under heavy load. */
  pauseMs?: number;
  /** Called after every batch. */
  onProgress?: (progress: RotationProgress) => void | Promise<void>;
  /** How many passes to make over rows others held locked (each pass waits a little longer); default 50. */
  maxPasses?: number;
}

interface SealedRow {
  id: string;
  /** Null once the account is closed (its personal data erased); such rows are never stale. */
  phone_encrypted: string | null;
  id_number_encrypted: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Re-seals residents' personal data with the current key (`npm run pii:rotate`) while the API runs.
 * Batches of rows are taken `FOR UPDATE SKIP LOCKED` in id order, so the API's own row locks are never
 * waited on (skipped rows are taken in a later pass), and each batch is one short transaction that
 * rewrites ciphertext and fingerprints together. Rows already under the current key are not selected,
 * so a run stopped anywhere is resumed by running it again, and a finished run changes nothing.
 */
export class PersonalDataRotation {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /** Rows with a value not sealed with the current key. */
  async remaining(): Promise<number> {
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM patron p WHERE ${this.stale('p')}`, [
      this.cipher.currentPrefix,
    ]);
    return count;
  }

  async rotate(options: RotationOptions = {}): Promise<RotationProgress> {
    const batchSize = options.batchSize ?? 200;
    const maxPasses = options.maxPasses ?? 50;
    const progress: RotationProgress = { rotated: 0, total: await this.remaining(), unreadable: [], conflicts: [] };
    const leftAlone = new Set<string>();
    for (let pass = 0; pass < maxPasses; pass++) {
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const batch = await this.rotateBatch(after, batchSize, leftAlone, progress);
        if (batch.lastId === null) break;
        after = batch.lastId;
        await options.onProgress?.(progress);
        if (options.pauseMs) await sleep(options.pauseMs);
      }
      const left = await this.remainingExcept(leftAlone);
      if (left === 0) break;
      // What is left was locked by the API when its turn came: try again shortly.
      await sleep(Math.min(50 * (pass + 1), 1000));
    }
    return progress;
  }

  /** One transaction: the next rows after `after` that need rotating and nobody holds locked. */
  private async rotateBatch(
    after: string,
    batchSize: number,
    leftAlone: Set<string>,
    progress: RotationProgress,
  ): Promise<{ lastId: string | null }> {
    const run = (rowsToSkip: string[]) =>
      this.dataSource.transaction(async (em) => {
        const rows: SealedRow[] = await em.query(
          `SELECT p.id, p.phone_encrypted, p.id_number_encrypted FROM patron p
            WHERE p.id > $2 AND ${this.stale('p')} AND p.id <> ALL($3::uuid[])
            ORDER BY p.id LIMIT $4 FOR UPDATE SKIP LOCKED`,
          [this.cipher.currentPrefix, after, rowsToSkip, batchSize],
        );
        if (!rows.length) return { rows, rotated: 0 };
        return { rows, rotated: await this.reseal(em, rows, leftAlone, progress) };
      });
    try {
      const { rows, rotated } = await run([...leftAlone]);
      progress.rotated += rotated;
      return { lastId: rows.length ? rows[rows.length - 1].id : null };
    } catch (e) {
      if (!isPgError(e, PgErrorCode.UniqueViolation)) throw e;
    }
    // A fingerprint collision spoilt the batch: take its rows one at a time to find the ones that collide.
    const { rows } = await this.dataSource.transaction(async (em) => ({
      rows: (await em.query(
        `SELECT p.id FROM patron p WHERE p.id > $2 AND ${this.stale('p')} AND p.id <> ALL($3::uuid[]) ORDER BY p.id LIMIT $4`,
        [this.cipher.currentPrefix, after, [...leftAlone], batchSize],
      )) as Array<{ id: string }>,
    }));
    for (const { id } of rows) {
      try {
        await this.dataSource.transaction(async (em) => {
          const one: SealedRow[] = await em.query(
            `SELECT p.id, p.phone_encrypted, p.id_number_encrypted FROM patron p WHERE p.id = $2 AND ${this.stale('p')} FOR UPDATE SKIP LOCKED`,
            [this.cipher.currentPrefix, id],
          );
          progress.rotated += one.length ? await this.reseal(em, one, leftAlone, progress) : 0;
        });
      } catch (e) {
        if (!isPgError(e, PgErrorCode.UniqueViolation)) throw e;
        leftAlone.add(id);
        progress.conflicts.push(id);
      }
    }
    return { lastId: rows.length ? rows[rows.length - 1].id : null };
  }

  /** Rewrites the rows' values and fingerprints under the current key in one statement; returns how many. */
  private async reseal(em: EntityManager, rows: SealedRow[], leftAlone: Set<string>, progress: RotationProgress): Promise<number> {
    const ids: string[] = [];
    const phoneSealed: Array<string | null> = [];
    const phonePrints: Array<string | null> = [];
    const idSealed: Array<string | null> = [];
    const idPrints: Array<string | null> = [];
    for (const row of rows) {
      let phone: string | null;
      let idNumber: string | null;
      try {
        phone = row.phone_encrypted === null ? null : this.cipher.decrypt(row.phone_encrypted);
        idNumber = row.id_number_encrypted === null ? null : this.cipher.decrypt(row.id_number_encrypted);
      } catch {
        if (!leftAlone.has(row.id)) progress.unreadable.push(row.id);
        leftAlone.add(row.id);
        continue;
      }
      // The stored plain values are the normalised ones the fingerprints were made of (PatronsService.register).
      ids.push(row.id);
      phoneSealed.push(phone === null ? null : this.cipher.encrypt(phone));
      phonePrints.push(phone === null ? null : this.cipher.fingerprint('phone', phone));
      idSealed.push(idNumber === null ? null : this.cipher.encrypt(idNumber));
      idPrints.push(idNumber === null ? null : this.cipher.fingerprint('id', idNumber));
    }
    if (!ids.length) return 0;
    // updated_at stays: the resident's data has not changed, only the key it is sealed with.
    await em.query(
      `UPDATE patron p SET phone_encrypted = u.pe, phone_fingerprint = u.pf, id_number_encrypted = u.ie, id_number_fingerprint = u.idf
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, pe, pf, ie, idf)
        WHERE p.id = u.id`,
      [ids, phoneSealed, phonePrints, idSealed, idPrints],
    );
    return ids.length;
  }

  private async remainingExcept(leftAlone: Set<string>): Promise<number> {
    const [{ count }] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM patron p WHERE ${this.stale('p')} AND p.id <> ALL($2::uuid[])`,
      [this.cipher.currentPrefix, [...leftAlone]],
    );
    return count;
  }

  /** SQL: a value of row `p` is not sealed with the current key ($1 is its prefix; LIKE would read `_` in key ids as a wildcard). */
  private stale(p: string): string {
    // A closed account's erased values are NULL: never stale.
    return `((${p}.phone_encrypted IS NOT NULL AND left(${p}.phone_encrypted, length($1)) <> $1)
             OR (${p}.id_number_encrypted IS NOT NULL AND left(${p}.id_number_encrypted, length($1)) <> $1))`;
  }
}
