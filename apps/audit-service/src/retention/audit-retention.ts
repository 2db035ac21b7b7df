import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager } from '@helpdesk/database';
import type { RetentionView } from './retention.dto';

/** Each organization's retention setting; without a row, entries are kept forever. */
@Injectable()
export class AuditRetention {
  constructor(private readonly dataSource: DataSource) {}

  async forTenant(tenantId: string): Promise<RetentionView> {
    const rows: { keep_days: number | null }[] = await currentManager(this.dataSource).query(
      'SELECT keep_days FROM audit_retention WHERE tenant_id = $1',
      [tenantId],
    );
    return { keepDays: rows[0]?.keep_days ?? null };
  }

  async replace(tenantId: string, keepDays: number | null): Promise<RetentionView> {
    const rows: { keep_days: number | null }[] = await currentManager(this.dataSource).query(
      `INSERT INTO audit_retention (tenant_id, keep_days, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (tenant_id) DO UPDATE SET keep_days = EXCLUDED.keep_days, updated_at = now()
       RETURNING keep_days`,
      [tenantId, keepDays],
    );
    return { keepDays: rows[0].keep_days };
  }
}
