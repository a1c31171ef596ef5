import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DateTime } from 'luxon';
import { Env } from '@lib/config';
import { Page, pageWindow } from '@lib/db';
import { CommonError } from '@lib/errors';
import { BranchesService, RegionsService } from '@lib/network';
import { ServiceItem } from '../entities/service-item.entity';
import { CreateServiceItemDto, ServiceItemQuery, UpdateServiceItemDto } from '../dto/service-item.dto';
import { ServicesError } from '../services.errors';
import { CAPACITY_USING_STATUSES, ItemAction, nextItemStatus } from '../rules/workflow';
import { invalidField, ServiceActor } from './actor';

export type ServiceItemView = ServiceItem & { month?: string; ordersInMonth?: number; remainingInMonth?: number };

/** The service menu: operators draft, publish, pause and retire items; anyone browses what is published. */
@Injectable()
export class ServiceItemsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly branches: BranchesService,
    private readonly env: Env,
  ) {}

  async create(input: CreateServiceItemDto, actor: ServiceActor): Promise<ServiceItem> {
    return this.dataSource.transaction(async (em) => {
      const operatorId = await this.ownerFor(em, input.operatorId, actor);
      await this.checkReferences(em, input);
      assertAudience(input.audienceMin, input.audienceMax);
      const repo = em.getRepository(ServiceItem);
      return repo.save(
        repo.create({
          title: input.title,
          category: input.category,
          description: input.description ?? null,
          provider: input.provider,
          providerBranchId: input.providerBranchId ?? null,
          operatorId,
          durationMinutes: input.durationMinutes,
          audienceMin: input.audienceMin,
          audienceMax: input.audienceMax,
          leadTimeDays: input.leadTimeDays ?? 0,
          regionIds: [...new Set(input.regionIds)],
          monthlyCapacity: input.monthlyCapacity,
          free: input.free ?? true,
          feeNote: input.feeNote ?? null,
          status: 'draft',
        }),
      );
    });
  }

  async update(id: string, input: UpdateServiceItemDto, actor: ServiceActor): Promise<ServiceItem> {
    return this.dataSource.transaction(async (em) => {
      const item = await this.lockOwned(em, id, actor);
      if (!nextItemStatus(item.status, 'edit')) throw ServicesError.ITEM_STATE_INVALID({ status: item.status, action: 'edit' });
      if (input.operatorId !== undefined) item.operatorId = await this.ownerFor(em, input.operatorId, actor);
      await this.checkReferences(em, input);
      const { operatorId: _owner, regionIds, ...rest } = input;
      Object.assign(item, rest);
      if (regionIds) item.regionIds = [...new Set(regionIds)];
      assertAudience(item.audienceMin, item.audienceMax);
      return em.getRepository(ServiceItem).save(item);
    });
  }

  /** publish, pause or retire; a retired item stays readable with its orders. */
  async transition(id: string, action: Exclude<ItemAction, 'edit'>, actor: ServiceActor): Promise<ServiceItem> {
    return this.dataSource.transaction(async (em) => {
      const item = await this.lockOwned(em, id, actor);
      const next = nextItemStatus(item.status, action);
      if (!next) throw ServicesError.ITEM_STATE_INVALID({ status: item.status, action });
      item.status = next;
      if (action === 'publish') item.publishedAt ??= new Date();
      if (action === 'retire') item.retiredAt = new Date();
      return em.getRepository(ServiceItem).save(item);
    });
  }

  /** Drafts are seen only by their operator and admins. */
  async get(id: string, actor: ServiceActor | undefined, month?: string): Promise<ServiceItemView> {
    const item = await this.dataSource.getRepository(ServiceItem).findOneBy({ id });
    if (!item || (item.status === 'draft' && !this.manages(item, actor))) throw ServicesError.ITEM_NOT_FOUND({ id });
    const m = this.monthStart(month);
    const used = await this.ordersInMonth([item.id], m);
    return withCapacity(item, m, used.get(item.id) ?? 0);
  }

  /**
   * Published items by category and region (an item serving a region above or below the one asked
   * for counts), with the month's remaining capacity. Operators may ask for their own in any state.
   */
  async list(query: ServiceItemQuery, actor: ServiceActor | undefined): Promise<Page<ServiceItemView>> {
    const { skip, take, page, pageSize } = pageWindow(query);
    const qb = this.dataSource.getRepository(ServiceItem).createQueryBuilder('i').orderBy('i.publishedAt', 'DESC', 'NULLS LAST').addOrderBy('i.id').skip(skip).take(take);
    const staffView = actor?.role === 'admin' || actor?.role === 'operator';
    if (query.mine && actor) qb.andWhere('i.operatorId = :me', { me: actor.id });
    if (query.status && staffView) {
      qb.andWhere('i.status = :status', { status: query.status });
      // Operators see the published menu of everyone, but only their own items in any other state.
      if (actor.role === 'operator' && query.status !== 'published') qb.andWhere('i.operatorId = :me', { me: actor.id });
    } else if (!(query.mine && staffView)) {
      qb.andWhere(`i.status = 'published'`);
    }
    if (query.category) qb.andWhere('i.category = :category', { category: query.category });
    if (query.regionId) {
      const related = [...new Set([...(await this.regions.ancestorIds(query.regionId)), ...(await this.regions.subtreeIds(query.regionId))])];
      qb.andWhere('i.regionIds && :related::uuid[]', { related });
    }
    const [rows, total] = await qb.getManyAndCount();
    const m = this.monthStart(query.month);
    const used = await this.ordersInMonth(
      rows.map((r) => r.id),
      m,
    );
    return { items: rows.map((r) => withCapacity(r, m, used.get(r.id) ?? 0)), total, page, pageSize };
  }

  private manages(item: ServiceItem, actor: ServiceActor | undefined): boolean {
    return !!actor && (actor.role === 'admin' || (actor.role === 'operator' && item.operatorId === actor.id));
  }

  private async lockOwned(em: EntityManager, id: string, actor: ServiceActor): Promise<ServiceItem> {
    const item = await em.getRepository(ServiceItem).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!item) throw ServicesError.ITEM_NOT_FOUND({ id });
    if (!this.manages(item, actor)) throw ServicesError.ITEM_NOT_YOURS();
    return item;
  }

  /** Operators own what they create; an admin may give an item to an operator account. */
  private async ownerFor(em: EntityManager, operatorId: string | undefined, actor: ServiceActor): Promise<string> {
    if (operatorId === undefined || operatorId === actor.id) return actor.id;
    if (actor.role !== 'admin') throw ServicesError.ITEM_NOT_YOURS();
    const [staff] = await em.query(`SELECT role FROM staff WHERE id = $1 AND active`, [operatorId]);
    if (staff?.role !== 'operator') throw invalidField('operatorId', 'operatorId must be an active operator account');
    return operatorId;
  }

  private async checkReferences(em: EntityManager, input: UpdateServiceItemDto): Promise<void> {
    if (input.providerBranchId) await this.branches.assertExist([input.providerBranchId], 'providerBranchId', em);
    if (input.regionIds?.length) {
      const [{ found }] = await em.query(`SELECT count(*)::int AS found FROM region WHERE id = ANY($1::uuid[])`, [[...new Set(input.regionIds)]]);
      if (found !== new Set(input.regionIds).size) throw CommonError.REFERENCE_NOT_FOUND({ field: 'regionIds' });
    }
  }

  private monthStart(month?: string): string {
    return month ? `${month}-01` : DateTime.now().setZone(this.env.TIME_ZONE).startOf('month').toISODate()!;
  }

  private async ordersInMonth(itemIds: string[], month: string): Promise<Map<string, number>> {
    if (!itemIds.length) return new Map();
    const rows: Array<{ item_id: string; n: number }> = await this.dataSource.query(
      `SELECT item_id, count(*)::int AS n FROM service_order
        WHERE item_id = ANY($1::uuid[]) AND month = $2 AND status = ANY($3) GROUP BY item_id`,
      [itemIds, month, CAPACITY_USING_STATUSES],
    );
    return new Map(rows.map((r) => [r.item_id, r.n]));
  }
}

function assertAudience(min: number, max: number): void {
  if (min > max) throw invalidField('audienceMax', 'audienceMax must not be below audienceMin');
}

function withCapacity(item: ServiceItem, month: string, used: number): ServiceItemView {
  return { ...item, month: month.slice(0, 7), ordersInMonth: used, remainingInMonth: Math.max(0, item.monthlyCapacity - used) };
}
