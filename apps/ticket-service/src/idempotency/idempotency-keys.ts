import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';

const TTL_MS = 24 * 3_600_000;
/** How long a retry waits for the first request still in flight before answering 409. */
const IN_FLIGHT_WAIT = '5s';

export interface StoredAnswer<T> {
  status: number;
  body: T;
}

/**
 * `Idempotency-Key` for creates: the first request claims the key inside its
 * own transaction and stores its answer there; a retry with the same key and
 * body gets that answer (same status, same body) instead of a second ticket.
 *
 * A retry that arrives while the first is in flight waits on PostgreSQL's
 * unique-index lock for the first to commit (or roll back) and then answers
 * the same — so concurrent duplicates get identical answers; only if the
 * first is still running after IN_FLIGHT_WAIT is the answer 409. A rolled-back
 * first request leaves no key behind. Keys are per caller and organization.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(private readonly dataSource: DataSource) {}

  static fingerprint(body: unknown): string {
    return createHash('sha256').update(canonicalJson(body)).digest('hex');
  }

  /**
   * Call inside the create's transaction. Returns the stored answer of an
   * earlier identical request, or undefined when this request owns the key
   * (then `remember` its answer before committing).
   */
  async claim<T>(
    scope: { tenantId: string; actorId: string; key: string },
    fingerprint: string,
  ): Promise<StoredAnswer<T> | undefined> {
    const manager = currentManager(this.dataSource);
    await manager.query(`SET LOCAL lock_timeout = '${IN_FLIGHT_WAIT}'`);
    await manager.query(
      'DELETE FROM idempotency_key WHERE tenant_id = $1 AND actor_id = $2 AND key = $3 AND expires_at < now()',
      [scope.tenantId, scope.actorId, scope.key],
    );
    let claimed: unknown[];
    try {
      claimed = await manager.query(
        `INSERT INTO idempotency_key (tenant_id, actor_id, key, request_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, now(), now() + make_interval(secs => $5))
         ON CONFLICT DO NOTHING RETURNING key`,
        [scope.tenantId, scope.actorId, scope.key, fingerprint, TTL_MS / 1000],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '55P03') throw stillInFlight();
      throw error;
    }
    // The short wait was for this key only: the create's own locks (the
    // organization's number counter) wait as long as any other statement.
    await manager.query('SET LOCAL lock_timeout TO DEFAULT');
    if (claimed.length > 0) return undefined;
    const [row] = await manager.query(
      'SELECT request_hash, response_status, response_body FROM idempotency_key WHERE tenant_id = $1 AND actor_id = $2 AND key = $3',
      [scope.tenantId, scope.actorId, scope.key],
    );
    if (!row || row.response_status === null) throw stillInFlight();
    if (row.request_hash !== fingerprint)
      throw new ProblemException(
        422,
        'This Idempotency-Key was used with a different request body.',
      );
    return { status: row.response_status, body: row.response_body as T };
  }

  async remember<T>(
    scope: { tenantId: string; actorId: string; key: string },
    answer: StoredAnswer<T>,
  ): Promise<void> {
    await currentManager(this.dataSource).query(
      `UPDATE idempotency_key SET response_status = $4, response_body = $5
        WHERE tenant_id = $1 AND actor_id = $2 AND key = $3`,
      [scope.tenantId, scope.actorId, scope.key, answer.status, JSON.stringify(answer.body)],
    );
  }

  /** Expired keys are dead weight; deleted in slices. */
  async sweep(): Promise<number> {
    const [, count] = await this.dataSource.query(
      'DELETE FROM idempotency_key WHERE ctid IN (SELECT ctid FROM idempotency_key WHERE expires_at < now() LIMIT 10000)',
    );
    return count as number;
  }
}

const stillInFlight = () =>
  new ProblemException(
    409,
    'A request with this Idempotency-Key is still being processed; retry shortly.',
  );

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      )
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
