import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Page, pageWindow } from '@lib/db';
import { CommonError } from '@lib/errors';
import { RegionsService } from '@lib/network';
import { notify } from '@lib/notifications';
import { Demand, DemandVote } from '../entities/demand.entity';
import { ServiceItem } from '../entities/service-item.entity';
import { AnswerDemandDto, CreateDemandDto, DemandQuery } from '../dto/demand.dto';
import { ServicesError } from '../services.errors';
import { ServiceActor } from './actor';

/** 订单式: residents and organizers ask for what the menu lacks, vote once each, and operators answer. */
@Injectable()
export class DemandsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
  ) {}

  /** The asker's own vote comes with the demand. */
  async ask(input: CreateDemandDto, actor: ServiceActor): Promise<DemandView> {
    return this.dataSource.transaction(async (em) => {
      if (!(await this.regions.ancestorIds(input.regionId, em)).length) throw CommonError.REFERENCE_NOT_FOUND({ field: 'regionId' });
      const repo = em.getRepository(Demand);
      const demand = await repo.save(
        repo.create({ category: input.category, title: input.title, description: input.description, regionId: input.regionId, askedByKind: actor.kind, askedBy: actor.id, votes: 1 }),
      );
      await em.getRepository(DemandVote).insert({ demandId: demand.id, voterId: actor.id, voterKind: actor.kind });
      return published(demand);
    });
  }

  /** One vote per person (the vote table's key); the count moves in the same transaction. */
  async vote(id: string, actor: ServiceActor): Promise<{ id: string; votes: number }> {
    return this.dataSource.transaction(async (em) => {
      // FOR UPDATE (not FOR SHARE, which the vote count's UPDATE below would deadlock on): an answer
      // waits for votes in flight, and a vote after the answer sees the new status.
      const [demand] = await em.query(`SELECT status FROM demand WHERE id = $1 FOR UPDATE`, [id]);
      if (!demand) throw ServicesError.DEMAND_NOT_FOUND({ id });
      if (demand.status !== 'open') throw ServicesError.DEMAND_ANSWERED({ status: demand.status });
      const [inserted] = await em.query(`INSERT INTO demand_vote (demand_id, voter_id, voter_kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING demand_id`, [
        id,
        actor.id,
        actor.kind,
      ]);
      if (!inserted) throw ServicesError.ALREADY_VOTED();
      const [[row]] = await em.query(`UPDATE demand SET votes = votes + 1 WHERE id = $1 RETURNING votes`, [id]);
      return { id, votes: row.votes as number };
    });
  }

  /** Operators answer: planned, added to the menu (naming the item), or declined with the reason. The asker is told. */
  async answer(id: string, input: AnswerDemandDto, actor: ServiceActor): Promise<DemandView> {
    return this.dataSource.transaction(async (em) => {
      const demand = await em.getRepository(Demand).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!demand) throw ServicesError.DEMAND_NOT_FOUND({ id });
      if (demand.status !== 'open' && demand.status !== 'planned') throw ServicesError.DEMAND_ANSWERED({ status: demand.status });
      if (input.itemId) {
        const item = await em.getRepository(ServiceItem).findOneBy({ id: input.itemId });
        if (!item) throw CommonError.REFERENCE_NOT_FOUND({ field: 'itemId' });
        if (actor.role !== 'admin' && item.operatorId !== actor.id) throw ServicesError.ITEM_NOT_YOURS({ field: 'itemId' });
      }
      Object.assign(demand, { status: input.status, answer: input.answer, answeredBy: actor.id, answeredAt: new Date(), itemId: input.itemId ?? null });
      const saved = await em.getRepository(Demand).save(demand);
      await notify(em, { recipientKind: demand.askedByKind, recipientId: demand.askedBy, kind: 'demand_answered', payload: { demandId: id, title: demand.title, status: input.status, answer: input.answer } });
      return published(saved);
    });
  }

  /** A resident's own demands (as asked) and the demands they voted for (the PIPL export). */
  async ofResident(patronId: string): Promise<{ asked: Demand[]; votedFor: Array<{ demandId: string; title: string; votedAt: Date }> }> {
    const asked = await this.dataSource.getRepository(Demand).find({ where: { askedByKind: 'patron', askedBy: patronId }, order: { createdAt: 'DESC' } });
    const votedFor: Array<{ demandId: string; title: string; votedAt: Date }> = await this.dataSource.query(
      `SELECT v.demand_id AS "demandId", d.title, v.created_at AS "votedAt" FROM demand_vote v JOIN demand d ON d.id = v.demand_id
        WHERE v.voter_kind = 'patron' AND v.voter_id = $1 ORDER BY v.created_at DESC`,
      [patronId],
    );
    return { asked, votedFor };
  }

  /** Popular demands first, for a region and the regions under it. */
  async list(query: DemandQuery): Promise<Page<DemandView>> {
    const { skip, take, page, pageSize } = pageWindow(query);
    const qb = this.dataSource.getRepository(Demand).createQueryBuilder('d').skip(skip).take(take);
    if (query.sort === 'recent') qb.orderBy('d.createdAt', 'DESC');
    else qb.orderBy('d.votes', 'DESC').addOrderBy('d.createdAt', 'ASC');
    qb.addOrderBy('d.id');
    if (query.regionId) qb.andWhere('d.regionId = ANY(:within::uuid[])', { within: await this.regions.subtreeIds(query.regionId) });
    if (query.category) qb.andWhere('d.category = :category', { category: query.category });
    if (query.status) qb.andWhere('d.status = :status', { status: query.status });
    const [items, total] = await qb.getManyAndCount();
    return { items: items.map(published), total, page, pageSize };
  }
}

/** A demand as the API shows it: who asked is not published (not to the operator who answers either). */
export type DemandView = Omit<Demand, 'askedBy'>;

function published({ askedBy: _who, ...demand }: Demand): DemandView {
  return demand;
}
