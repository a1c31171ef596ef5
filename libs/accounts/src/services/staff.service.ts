import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { isPgError, Page, PageQuery, PgErrorCode, pageWindow } from '@lib/db';
import { CommonError } from '@lib/errors';
import { BranchesService, Region } from '@lib/network';
import { Staff, StaffBranch, StaffRegion } from '../entities/staff.entity';
import { CreateStaffDto, StaffView, UpdateStaffDto } from '../dto/staff.dto';
import { AccountError } from '../accounts.errors';
import { staffScopeProblem } from '../staff-scope';
import { PasswordHasher } from './password-hasher';

@Injectable()
export class StaffService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly branches: BranchesService,
  ) {}

  async create(input: CreateStaffDto): Promise<StaffView> {
    const branchIds = input.branchIds ?? [];
    const regionIds = input.regionIds ?? [];
    const problem = staffScopeProblem(input.role, branchIds.length, regionIds.length);
    if (problem) throw AccountError.STAFF_SCOPE_INVALID({ reason: problem });
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const id = await this.dataSource.transaction(async (em) => {
        await this.checkScope(em, branchIds, regionIds);
        const repo = em.getRepository(Staff);
        const staff = await repo.save(repo.create({ username: input.username, name: input.name, role: input.role, passwordHash }));
        await this.writeScope(em, staff.id, branchIds, regionIds);
        return staff.id;
      });
      return this.view(id);
    } catch (e) {
      if (isPgError(e, PgErrorCode.UniqueViolation, 'staff_username_key')) {
        throw AccountError.USERNAME_TAKEN({ field: 'username', username: input.username });
      }
      throw e;
    }
  }

  async update(id: string, input: UpdateStaffDto): Promise<StaffView> {
    const passwordHash = input.password ? await this.hasher.hash(input.password) : undefined;
    await this.dataSource.transaction(async (em) => {
      const staff = await em.getRepository(Staff).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!staff) throw AccountError.STAFF_NOT_FOUND({ id });
      const scope = await this.scopeOf(em, [id]);
      const branchIds = input.branchIds ?? scope.branches.get(id) ?? [];
      const regionIds = input.regionIds ?? scope.regions.get(id) ?? [];
      const problem = staffScopeProblem(staff.role, branchIds.length, regionIds.length);
      if (problem) throw AccountError.STAFF_SCOPE_INVALID({ reason: problem });
      await this.checkScope(em, branchIds, regionIds);
      if (input.name !== undefined) staff.name = input.name;
      if (input.active !== undefined) staff.active = input.active;
      if (passwordHash) staff.passwordHash = passwordHash;
      await em.getRepository(Staff).save(staff);
      await em.getRepository(StaffBranch).delete({ staffId: id });
      await em.getRepository(StaffRegion).delete({ staffId: id });
      await this.writeScope(em, id, branchIds, regionIds);
    });
    return this.view(id);
  }

  async view(id: string): Promise<StaffView> {
    const staff = await this.dataSource.getRepository(Staff).findOneBy({ id });
    if (!staff) throw AccountError.STAFF_NOT_FOUND({ id });
    const scope = await this.scopeOf(this.dataSource.manager, [id]);
    return toView(staff, scope.branches.get(id) ?? [], scope.regions.get(id) ?? []);
  }

  async list(query: PageQuery): Promise<Page<StaffView>> {
    const { skip, take, page, pageSize } = pageWindow(query);
    const [rows, total] = await this.dataSource.getRepository(Staff).findAndCount({ order: { username: 'ASC' }, skip, take });
    const scope = await this.scopeOf(this.dataSource.manager, rows.map((s) => s.id));
    return {
      items: rows.map((s) => toView(s, scope.branches.get(s.id) ?? [], scope.regions.get(s.id) ?? [])),
      total,
      page,
      pageSize,
    };
  }

  /** Staff account by username for login; null when unknown. */
  async findForLogin(username: string): Promise<{ staff: Staff; branchIds: string[]; regionIds: string[] } | null> {
    const staff = await this.dataSource.getRepository(Staff).findOneBy({ username: username.toLowerCase() });
    if (!staff) return null;
    const scope = await this.scopeOf(this.dataSource.manager, [staff.id]);
    return { staff, branchIds: scope.branches.get(staff.id) ?? [], regionIds: scope.regions.get(staff.id) ?? [] };
  }

  async findById(id: string): Promise<{ staff: Staff; branchIds: string[]; regionIds: string[] } | null> {
    const staff = await this.dataSource.getRepository(Staff).findOneBy({ id });
    if (!staff) return null;
    const scope = await this.scopeOf(this.dataSource.manager, [id]);
    return { staff, branchIds: scope.branches.get(id) ?? [], regionIds: scope.regions.get(id) ?? [] };
  }

  private async checkScope(em: EntityManager, branchIds: string[], regionIds: string[]): Promise<void> {
    await this.branches.assertExist(branchIds, 'branchIds', em);
    if (regionIds.length) {
      const found = await em.getRepository(Region).count({ where: { id: In(regionIds) } });
      if (found !== regionIds.length) throw CommonError.REFERENCE_NOT_FOUND({ field: 'regionIds' });
    }
  }

  private async writeScope(em: EntityManager, staffId: string, branchIds: string[], regionIds: string[]): Promise<void> {
    if (branchIds.length) await em.getRepository(StaffBranch).insert(branchIds.map((branchId) => ({ staffId, branchId })));
    if (regionIds.length) await em.getRepository(StaffRegion).insert(regionIds.map((regionId) => ({ staffId, regionId })));
  }

  private async scopeOf(em: EntityManager, ids: string[]) {
    const branches = new Map<string, string[]>();
    const regions = new Map<string, string[]>();
    if (ids.length) {
      for (const row of await em.getRepository(StaffBranch).findBy({ staffId: In(ids) })) {
        branches.set(row.staffId, [...(branches.get(row.staffId) ?? []), row.branchId]);
      }
      for (const row of await em.getRepository(StaffRegion).findBy({ staffId: In(ids) })) {
        regions.set(row.staffId, [...(regions.get(row.staffId) ?? []), row.regionId]);
      }
    }
    return { branches, regions };
  }
}

function toView(staff: Staff, branchIds: string[], regionIds: string[]): StaffView {
  return {
    id: staff.id,
    username: staff.username,
    name: staff.name,
    role: staff.role,
    active: staff.active,
    branchIds: [...branchIds].sort(),
    regionIds: [...regionIds].sort(),
    createdAt: staff.createdAt,
  };
}
