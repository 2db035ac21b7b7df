import {
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceTokens } from '@helpdesk/auth';
import { withTransaction } from '@helpdesk/database';

interface SnapshotPage<T> {
  data: T[];
  next: string | null;
}

interface SnapshotOrganization {
  id: string;
  name: string;
  businessHours: unknown;
  timezone: string;
  version: number;
}

interface SnapshotDepartment {
  id: string;
  tenantId: string;
  name: string;
  version: number;
}

interface SnapshotUser {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: string;
  departmentId: string | null;
  active: boolean;
  version: number;
}

export function snapshotUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env['USER_DIRECTORY_SNAPSHOT_URL'];
  return url ? url.replace(/\/$/, '') : undefined;
}

const MAX_RETRY_MS = 60_000;

/**
 * A service that starts consuming user-service's events late — a new
 * deployment, a rebuilt database — has missed what already exists. Once per
 * database it fetches user-service's directory snapshot
 * (USER_DIRECTORY_SNAPSHOT_URL, e.g. http://127.0.0.1:3001/internal/directory,
 * with a service token) and inserts what the replica lacks. Rows already there
 * are left alone and every row keeps its aggregate version, so events arriving
 * meanwhile still apply in order: the snapshot never overwrites, events never
 * go backwards. Without the URL (tests, a service that starts with the
 * platform) it does nothing. Runs in the background, retrying until
 * user-service answers.
 */
@Injectable()
export class DirectoryBootstrap implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DirectoryBootstrap.name);
  private readonly url = snapshotUrl();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly serviceTokens?: ServiceTokens,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.url || !this.serviceTokens) return;
    this.schedule(0, 1_000);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number, nextDelayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runOnce().catch((error: unknown) => {
        this.logger.warn(
          `directory snapshot not loaded yet (${String(error)}); retrying in ${nextDelayMs} ms`,
        );
        this.schedule(nextDelayMs, Math.min(MAX_RETRY_MS, nextDelayMs * 2));
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Loads the snapshot unless this database has done so; returns whether it loaded now. */
  async runOnce(): Promise<boolean> {
    if (!this.url || !this.serviceTokens) return false;
    const [done] = await this.dataSource.query('SELECT 1 FROM directory_bootstrap WHERE id = 1');
    if (done) return false;
    const organizations = await this.fetchAll<SnapshotOrganization>('organizations');
    const departments = await this.fetchAll<SnapshotDepartment>('departments');
    const users = await this.fetchAll<SnapshotUser>('users');
    await withTransaction(this.dataSource, async (manager) => {
      for (const o of organizations)
        await manager.query(
          `INSERT INTO directory_organization (id, name, business_hours, timezone, version)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
          [
            o.id,
            o.name,
            o.businessHours === null ? null : JSON.stringify(o.businessHours),
            o.timezone,
            o.version,
          ],
        );
      for (const d of departments)
        await manager.query(
          `INSERT INTO directory_department (id, tenant_id, name, version)
           VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
          [d.id, d.tenantId, d.name, d.version],
        );
      for (const u of users)
        await manager.query(
          `INSERT INTO directory_user (id, tenant_id, email, name, role, department_id, active, version)
           VALUES ($1, $2, $3, $4, $5,
                   (SELECT id FROM directory_department WHERE id = $6 AND tenant_id = $2 AND deleted_at IS NULL),
                   $7, $8)
           ON CONFLICT (id) DO NOTHING`,
          [u.id, u.tenantId, u.email, u.name, u.role, u.departmentId, u.active, u.version],
        );
      await manager.query(
        `INSERT INTO directory_bootstrap (id, completed_at, organizations, users) VALUES (1, now(), $1, $2)
         ON CONFLICT (id) DO NOTHING`,
        [organizations.length, users.length],
      );
    });
    this.logger.log(
      `directory replica filled from the snapshot: ${organizations.length} organizations, ${users.length} users`,
    );
    return true;
  }

  private async fetchAll<T>(kind: string): Promise<T[]> {
    const rows: T[] = [];
    let after: string | null = null;
    do {
      const query: string = after ? `?limit=1000&after=${after}` : '?limit=1000';
      const response = await fetch(`${this.url}/${kind}${query}`, {
        headers: { authorization: `Bearer ${this.serviceTokens?.issue('user-service')}` },
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`GET ${kind} answered ${response.status}`);
      const page = (await response.json()) as SnapshotPage<T>;
      rows.push(...page.data);
      after = page.next;
    } while (after);
    return rows;
  }
}
