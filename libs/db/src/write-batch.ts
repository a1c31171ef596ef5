import { EntityManager } from 'typeorm';

/**
 * Writes that need none of each other's results, sent to PostgreSQL as one statement: each becomes a
 * data-modifying CTE of one `WITH … SELECT`, so a transaction's last step costs one round trip however
 * many tables it touches. PostgreSQL runs them on one snapshot and in no set order, so no two may
 * change the same row (the caller's rule); a failing constraint fails the statement, and so the
 * transaction. Each part numbers its own parameters from $1; the batch renumbers them (so a part must
 * not contain a literal `$n`).
 */
export class WriteBatch {
  private readonly parts: string[] = [];
  private readonly params: unknown[] = [];
  private readonly names: string[] = [];

  /**
   * Adds one INSERT, UPDATE or DELETE. `name` lets a later part wait for this one: reading it in a scalar
   * subquery (`WHERE (SELECT count(*) FROM name) >= 0`) runs it to completion first, for a write that a
   * unique index orders after another (close the old row, then insert the new one).
   */
  add(sql: string, params: readonly unknown[] = [], name?: string): this {
    const offset = this.params.length;
    this.parts.push(offset ? sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`) : sql);
    this.names.push(name ?? `w${this.parts.length - 1}`);
    this.params.push(...params);
    return this;
  }

  get size(): number {
    return this.parts.length;
  }

  /** The one statement and its parameters. */
  toSql(): { sql: string; params: unknown[] } {
    const sql = this.parts.length === 1 ? this.parts[0] : `WITH ${this.parts.map((p, i) => `${this.names[i]} AS (${p})`).join(', ')} SELECT 1`;
    return { sql, params: [...this.params] };
  }

  async run(em: EntityManager): Promise<void> {
    if (this.parts.length === 0) return;
    const { sql, params } = this.toSql();
    await em.query(sql, params);
  }
}
