import { Injectable } from '@nestjs/common';
import { currentManager, inOneSnapshot } from '@helpdesk/database';
import {
  DataSource,
  type EntitySchema,
  type FindManyOptions,
  type FindOptionsWhere,
  type ObjectLiteral,
  type SelectQueryBuilder,
} from 'typeorm';

interface TenantOwned extends ObjectLiteral {
  tenantId: string;
}

/**
 * The one place where "this organization only" is written. Every read of a
 * tenant-owned table goes through a TenantRepository, which adds the tenant
 * to each condition (over whatever the caller passed), and every write checks
 * the row belongs to the tenant. Handlers cannot forget it: they are never
 * handed an unscoped repository of a tenant-owned entity.
 */
export class TenantRepository<T extends TenantOwned> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: EntitySchema<T>,
    readonly tenantId: string,
  ) {}

  private get repository() {
    // Joins the caller's transaction when there is one.
    return currentManager(this.dataSource).getRepository(this.schema);
  }

  private scoped(where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> {
    return { ...where, tenantId: this.tenantId } as FindOptionsWhere<T>;
  }

  findOne(where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repository.findOne({ where: this.scoped(where) });
  }

  /** Locks the row for the rest of the transaction (concurrent changes queue behind). */
  findOneForUpdate(where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repository.findOne({
      where: this.scoped(where),
      lock: { mode: 'pessimistic_write' },
    });
  }

  find(options: Omit<FindManyOptions<T>, 'where'> & { where?: FindOptionsWhere<T> } = {}) {
    return this.repository.find({ ...options, where: this.scoped(options.where) });
  }

  count(where: FindOptionsWhere<T> = {}): Promise<number> {
    return this.repository.count({ where: this.scoped(where) });
  }

  /** A query builder that already says `<alias>.tenant_id = :tenantId`. */
  query(alias: string): SelectQueryBuilder<T> {
    return this.repository
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :scopeTenantId`, { scopeTenantId: this.tenantId });
  }

  /** A page of `query(alias)`, shaped by `page`, and the total of its matches, from one snapshot. */
  pageAndCount(
    alias: string,
    page: (query: SelectQueryBuilder<T>) => SelectQueryBuilder<T>,
  ): Promise<[T[], number]> {
    // getManyAndCount runs two statements; inOneSnapshot makes them agree.
    return inOneSnapshot(this.dataSource, () => page(this.query(alias)).getManyAndCount());
  }

  async save(entity: T): Promise<T> {
    this.assertOwned(entity);
    return this.repository.save(entity);
  }

  async remove(entity: T): Promise<void> {
    this.assertOwned(entity);
    await this.repository.delete(this.scoped(this.keyOf(entity)));
  }

  private keyOf(entity: T): FindOptionsWhere<T> {
    const primary = this.repository.metadata.primaryColumns.map((column) => column.propertyName);
    return Object.fromEntries(primary.map((name) => [name, entity[name]])) as FindOptionsWhere<T>;
  }

  private assertOwned(entity: T): void {
    if (entity.tenantId !== this.tenantId)
      // A programming error, never a client's: fail loudly rather than write across tenants.
      throw new Error(
        `refused to write a row of tenant ${entity.tenantId} in the scope of ${this.tenantId}`,
      );
  }
}

/** Hands out repositories scoped to one organization. */
@Injectable()
export class TenantScopes {
  constructor(private readonly dataSource: DataSource) {}

  repository<T extends TenantOwned>(
    schema: EntitySchema<T>,
    tenantId: string,
  ): TenantRepository<T> {
    return new TenantRepository(this.dataSource, schema, tenantId);
  }
}
