import { WriteBatch } from './write-batch';

describe('WriteBatch', () => {
  it('sends a single write as it is', () => {
    const { sql, params } = new WriteBatch().add('UPDATE item SET status = $2 WHERE id = $1', ['i', 'on_loan']).toSql();
    expect(sql).toBe('UPDATE item SET status = $2 WHERE id = $1');
    expect(params).toEqual(['i', 'on_loan']);
  });

  it('makes each write a CTE and renumbers every part after the first past the parameters before it', () => {
    const { sql, params } = new WriteBatch()
      .add('UPDATE transit SET cancelled_at = now() WHERE item_id = $1 RETURNING 1', ['i'], 'ended')
      .add('INSERT INTO transit (item_id, to_branch_id) SELECT $1, $2 WHERE (SELECT count(*) FROM ended) >= 0', ['i', 'b'])
      .add('UPDATE item SET status = $2, current_branch_id = $1, circulating_branch_id = coalesce($3::uuid, circulating_branch_id) WHERE id = $1', ['b', 'in_transit', null])
      .toSql();
    expect(sql).toBe(
      'WITH ended AS (UPDATE transit SET cancelled_at = now() WHERE item_id = $1 RETURNING 1), ' +
        'w1 AS (INSERT INTO transit (item_id, to_branch_id) SELECT $2, $3 WHERE (SELECT count(*) FROM ended) >= 0), ' +
        'w2 AS (UPDATE item SET status = $5, current_branch_id = $4, circulating_branch_id = coalesce($6::uuid, circulating_branch_id) WHERE id = $4) SELECT 1',
    );
    expect(params).toEqual(['i', 'i', 'b', 'b', 'in_transit', null]);
  });

  it('renumbers two-digit parameters whole', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `$${i + 1}`).join(', ');
    const { sql } = new WriteBatch().add(`INSERT INTO a VALUES (${ten})`, Array(10).fill(0)).add(`INSERT INTO b VALUES (${ten})`, Array(10).fill(1)).toSql();
    expect(sql).toContain('INSERT INTO b VALUES ($11, $12, $13, $14, $15, $16, $17, $18, $19, $20)');
  });
});
