import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Env } from '@lib/config';
import { NetworkError, RegionsService } from '@lib/network';
import { SatisfactionQuery } from '../dto/service-order.dto';
import { SatisfactionFigure, satisfactionFigure } from '../rules/satisfaction';
import { invalidField } from './actor';

export interface SatisfactionIndex {
  by: SatisfactionQuery['by'];
  from: string | null;
  to: string | null;
  overall: SatisfactionFigure;
  groups: Array<{ id: string; name: string } & SatisfactionFigure>;
}

const GROUPS = {
  // Published: an operator is named by the organisation that provides the service, never by a staff account's personal name.
  operator: { key: 'i.operator_id', name: 'min(i.provider)' },
  item: { key: 'i.id', name: 'min(i.title)' },
  region: { key: 'o.region_id', name: `(SELECT name FROM region WHERE id = o.region_id)` },
} as const;

/** 满意度: every rating of delivered services (organizers' and residents'), per operator, item or region. */
@Injectable()
export class SatisfactionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly env: Env,
  ) {}

  async index(query: SatisfactionQuery): Promise<SatisfactionIndex> {
    if (query.from && query.to && query.from > query.to) throw invalidField('from', 'from must not be after to');
    const within = query.regionId ? await this.regions.subtreeIds(query.regionId) : null;
    // As every region filter answers (GET /api/branches): an unknown region is a 404 naming regionId, not an empty index.
    if (within && !within.length) throw NetworkError.REGION_NOT_FOUND({ id: query.regionId, field: 'regionId' });
    const group = GROUPS[query.by];
    const rows: Array<{ id: string; name: string; ratings: number; score_sum: number; high: number }> = await this.dataSource.query(
      `SELECT ${group.key} AS id, ${group.name} AS name, count(*)::int AS ratings, sum(r.score)::int AS score_sum,
              count(*) FILTER (WHERE r.score >= 4)::int AS high
         FROM service_rating r JOIN service_order o ON o.id = r.order_id JOIN service_item i ON i.id = o.item_id
        WHERE ($1::date IS NULL OR r.created_at >= $1::date::timestamp AT TIME ZONE $4)
          AND ($2::date IS NULL OR r.created_at < ($2::date + 1)::timestamp AT TIME ZONE $4)
          AND ($3::uuid[] IS NULL OR o.region_id = ANY($3::uuid[]))
        GROUP BY ${group.key}
        ORDER BY ratings DESC, id`,
      [query.from ?? null, query.to ?? null, within, this.env.TIME_ZONE],
    );
    const total = rows.reduce((t, r) => ({ n: t.n + r.ratings, sum: t.sum + r.score_sum, high: t.high + r.high }), { n: 0, sum: 0, high: 0 });
    return {
      by: query.by,
      from: query.from ?? null,
      to: query.to ?? null,
      overall: satisfactionFigure(total.n, total.sum, total.high),
      groups: rows.map((r) => ({ id: r.id, name: r.name, ...satisfactionFigure(r.ratings, r.score_sum, r.high) })),
    };
  }
}
