import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isPgError, Page, PgErrorCode, pageWindow } from '@lib/db';
import { Region, RegionPopulation } from '../entities/region.entity';
import { CreateRegionDto, RegionQuery, RegionView, UpdateRegionDto } from '../dto/region.dto';
import { NetworkError } from '../network.errors';
import { regionParentProblem } from '../region-rules';

@Injectable()
export class RegionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(input: CreateRegionDto): Promise<RegionView> {
    const id = await this.dataSource.transaction(async (em) => {
      const parent = input.parentId ? await this.lockRegion(em, input.parentId, 'parentId') : null;
      const problem = regionParentProblem(input.kind, parent?.kind ?? null);
      if (problem) throw NetworkError.REGION_PARENT_INVALID({ field: 'parentId', reason: problem });
      const region = await this.withCodeCheck(input.code, () =>
        em.getRepository(Region).save(
          em.getRepository(Region).create({
            name: input.name,
            kind: input.kind,
            parentId: parent?.id ?? null,
            code: input.code ?? null,
          }),
        ),
      );
      if (input.population !== undefined) {
        await this.setPopulation(em, region.id, input.populationYear ?? currentYear(), input.population);
      }
      return region.id;
    });
    return this.get(id);
  }

  async update(id: string, input: UpdateRegionDto): Promise<RegionView> {
    await this.dataSource.transaction(async (em) => {
      const region = await this.lockRegion(em, id);
      if (input.name !== undefined) region.name = input.name;
      if (input.code !== undefined) region.code = input.code;
      await this.withCodeCheck(input.code, () => em.getRepository(Region).save(region));
      if (input.population !== undefined) {
        await this.setPopulation(em, id, input.populationYear ?? currentYear(), input.population);
      }
    });
    return this.get(id);
  }

  async get(id: string, year?: number): Promise<RegionView> {
    const region = await this.dataSource.getRepository(Region).findOne({ where: { id }, relations: { populations: true } });
    if (!region) throw NetworkError.REGION_NOT_FOUND({ id });
    return toView(region, year);
  }

  async list(query: RegionQuery): Promise<Page<RegionView>> {
    const { skip, take, page, pageSize } = pageWindow(query);
    const qb = this.dataSource
      .getRepository(Region)
      .createQueryBuilder('r')
      .leftJoinAndSelect('r.populations', 'p')
      .orderBy('r.kind', 'ASC')
      .addOrderBy('r.code', 'ASC', 'NULLS LAST')
      .addOrderBy('r.name', 'ASC')
      .skip(skip)
      .take(take);
    if (query.kind) qb.andWhere('r.kind = :kind', { kind: query.kind });
    if (query.parentId) qb.andWhere('r.parentId = :parentId', { parentId: query.parentId });
    const [regions, total] = await qb.getManyAndCount();
    return { items: regions.map((r) => toView(r, query.year)), total, page, pageSize };
  }

  /** The region and every region under it (for "branches in this district"). */
  async subtreeIds(id: string, em: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: Array<{ id: string }> = await em.query(
      `WITH RECURSIVE tree AS (SELECT id FROM region WHERE id = $1
         UNION SELECT r.id FROM region r JOIN tree t ON r.parent_id = t.id)
       SELECT id FROM tree`,
      [id],
    );
    return rows.map((r) => r.id);
  }

  /** The region and every region above it, nearest first; empty when the region does not exist. */
  async ancestorIds(id: string, em: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: Array<{ id: string }> = await em.query(
      `WITH RECURSIVE up AS (SELECT id, parent_id, 0 AS depth FROM region WHERE id = $1
         UNION ALL SELECT r.id, r.parent_id, up.depth + 1 FROM region r JOIN up ON r.id = up.parent_id)
       SELECT id FROM up ORDER BY depth`,
      [id],
    );
    return rows.map((r) => r.id);
  }

  private async lockRegion(em: EntityManager, id: string, field?: string): Promise<Region> {
    const region = await em.getRepository(Region).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!region) throw NetworkError.REGION_NOT_FOUND({ id, ...(field ? { field } : {}) });
    return region;
  }

  private async setPopulation(em: EntityManager, regionId: string, year: number, population: number): Promise<void> {
    await em.getRepository(RegionPopulation).upsert({ regionId, year, population }, ['regionId', 'year']);
  }

  private async withCodeCheck<T>(code: string | undefined | null, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'region_code_key')) {
        throw NetworkError.REGION_CODE_TAKEN({ field: 'code', code });
      }
      throw e;
    }
  }
}

function currentYear(): number {
  return new Date().getUTCFullYear();
}

function toView(region: Region, year?: number): RegionView {
  const populations = (region.populations ?? [])
    .map((p) => ({ year: p.year, population: p.population }))
    .sort((a, b) => a.year - b.year);
  const chosen =
    year === undefined ? populations[populations.length - 1] : [...populations].reverse().find((p) => p.year <= year);
  return {
    id: region.id,
    code: region.code,
    name: region.name,
    kind: region.kind,
    parentId: region.parentId,
    population: chosen?.population ?? null,
    populationYear: chosen?.year ?? null,
    populations,
  };
}
