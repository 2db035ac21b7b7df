import { randomUUID } from 'node:crypto';
import { SessionRevoked } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { eventually } from '@helpdesk/testing';
import { Logger } from '@nestjs/common';
import { AccessTokenVerifier } from '../access-token/access-token-verifier';
import {
  FixedKeys,
  generateSigningKey,
  signAccessToken,
  validClaims,
} from '../test/access-token-signer';
import { createRevocationDatabase, type RevocationDatabase } from '../test/revocation-database';
import { recordSessionRevocation } from './record-session-revocation';
import { RevokedSessions } from './revoked-sessions';
import { SessionRevokedHandler } from './session-revoked.handler';

const signingKey = generateSigningKey();
const inFifteenMinutes = () => new Date(Date.now() + 15 * 60_000);
let db: RevocationDatabase;
const started: RevokedSessions[] = [];

beforeAll(async () => {
  Logger.overrideLogger(false);
  db = await createRevocationDatabase();
});

afterAll(async () => {
  await db.close();
  Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']);
});

afterEach(async () => {
  for (const list of started.splice(0)) await list.onModuleDestroy();
});

/** A replica's list, started as Nest starts it (initial load, then polling). */
async function startRevokedSessions(pollIntervalMs: number, clock?: () => number) {
  const list = new RevokedSessions(db.dataSource, { pollIntervalMs, clock });
  await list.onModuleInit();
  started.push(list);
  return list;
}

function verifierWith(revokedSessions: RevokedSessions): AccessTokenVerifier {
  return new AccessTokenVerifier(
    new FixedKeys(signingKey),
    'helpdesk-user-service',
    'helpdesk-api',
    revokedSessions,
  );
}

function sessionRevoked(sessionId: string, tenantId: string, timestamp: Date): SessionRevoked {
  return new SessionRevoked({
    eventId: randomUUID(),
    eventType: 'session.revoked',
    version: 1,
    aggregateType: 'session',
    aggregateId: sessionId,
    aggregateVersion: 1,
    tenantId,
    timestamp: timestamp.toISOString(),
    payload: { sessionId, userId: randomUUID(), reason: 'logout' },
    metadata: { correlationId: randomUUID(), causationId: null, actorId: null, actorType: 'user' },
  });
}

async function revokedRow(sessionId: string) {
  const rows: Array<{ tenant_id: string; expires_at: Date }> = await db.dataSource.query(
    `SELECT tenant_id, expires_at FROM revoked_session WHERE session_id = $1`,
    [sessionId],
  );
  return rows[0];
}

describe('revoked sessions', () => {
  it('refuses the tokens of a session once its revocation is recorded and read', async () => {
    const revokedSessions = await startRevokedSessions(60_000);
    const verifier = verifierWith(revokedSessions);
    const claims = validClaims();
    const token = signAccessToken(signingKey, claims);
    await expect(verifier.verify(token)).resolves.toBeDefined();

    await withTransaction(db.dataSource, (manager) =>
      recordSessionRevocation(manager, {
        sessionId: claims['sid'] as string,
        tenantId: claims['tid'] as string,
        expiresAt: inFifteenMinutes(),
      }),
    );
    await revokedSessions.refreshNow();

    await expect(verifier.verify(token)).rejects.toThrow('session revoked');
  });

  it('reaches every replica within the poll interval, with no call per request', async () => {
    const replicas = [await startRevokedSessions(100), await startRevokedSessions(100)];
    const claims = validClaims();
    const token = signAccessToken(signingKey, claims);

    await recordSessionRevocation(db.dataSource.manager, {
      sessionId: claims['sid'] as string,
      tenantId: claims['tid'] as string,
      expiresAt: inFifteenMinutes(),
    });

    for (const replica of replicas) {
      await eventually(
        () => expect(verifierWith(replica).verify(token)).rejects.toThrow('session revoked'),
        {
          timeoutMs: 3_000,
        },
      );
    }
  });

  it('loads revocations recorded before it started', async () => {
    const sessionId = randomUUID();
    await recordSessionRevocation(db.dataSource.manager, {
      sessionId,
      tenantId: randomUUID(),
      expiresAt: inFifteenMinutes(),
    });

    const revokedSessions = await startRevokedSessions(60_000);

    expect(revokedSessions.isRevoked(sessionId)).toBe(true);
    expect(revokedSessions.isRevoked(randomUUID())).toBe(false);
  });

  it('forgets a revocation once no token of the session can be alive', async () => {
    let now = Date.now();
    const sessionId = randomUUID();
    await recordSessionRevocation(db.dataSource.manager, {
      sessionId,
      tenantId: randomUUID(),
      expiresAt: new Date(now + 60_000),
    });
    const revokedSessions = await startRevokedSessions(60_000, () => now);
    expect(revokedSessions.isRevoked(sessionId)).toBe(true);

    now += 61_000;

    expect(revokedSessions.isRevoked(sessionId)).toBe(false);
  });

  it('sweeps expired rows from the table', async () => {
    const expired = randomUUID();
    await recordSessionRevocation(db.dataSource.manager, {
      sessionId: expired,
      tenantId: randomUUID(),
      expiresAt: new Date(Date.now() - 1_000),
    });

    const revokedSessions = await startRevokedSessions(60_000); // its first read is a full reload with a sweep

    expect(revokedSessions.isRevoked(expired)).toBe(false);
    expect(await revokedRow(expired)).toBeUndefined();
  });

  it('keeps what it knows when the table cannot be read', async () => {
    const sessionId = randomUUID();
    await recordSessionRevocation(db.dataSource.manager, {
      sessionId,
      tenantId: randomUUID(),
      expiresAt: inFifteenMinutes(),
    });
    const revokedSessions = await startRevokedSessions(60_000);
    await db.dataSource.query(`ALTER TABLE revoked_session RENAME TO revoked_session_away`);
    try {
      await expect(revokedSessions.refreshNow()).resolves.toBeUndefined();
      expect(revokedSessions.isRevoked(sessionId)).toBe(true);
    } finally {
      await db.dataSource.query(`ALTER TABLE revoked_session_away RENAME TO revoked_session`);
    }
  });
});

describe('SessionRevokedHandler', () => {
  const handler = () => new SessionRevokedHandler(db.dataSource);

  it('records the session for as long as a token issued before the revocation can live', async () => {
    const sessionId = randomUUID();
    const tenantId = randomUUID();
    const revokedAt = new Date('2026-11-30T10:00:00.000Z');

    await withTransaction(db.dataSource, () =>
      handler().handle(sessionRevoked(sessionId, tenantId, revokedAt)),
    );

    expect(await revokedRow(sessionId)).toEqual({
      tenant_id: tenantId,
      expires_at: new Date('2026-11-30T10:15:30.000Z'), // 900 s lifetime + 30 s skew
    });
  });

  it('writes in the transaction it is called in (the inbox transaction): a rollback leaves no row', async () => {
    const sessionId = randomUUID();

    await expect(
      withTransaction(db.dataSource, async () => {
        await handler().handle(sessionRevoked(sessionId, randomUUID(), new Date()));
        throw new Error('the inbox transaction fails');
      }),
    ).rejects.toThrow('the inbox transaction fails');

    expect(await revokedRow(sessionId)).toBeUndefined();
  });

  it('is harmless when the same revocation arrives twice', async () => {
    const sessionId = randomUUID();
    const tenantId = randomUUID();
    const event = sessionRevoked(sessionId, tenantId, new Date());

    await handler().handle(event);
    await handler().handle(event);

    expect(await revokedRow(sessionId)).toMatchObject({ tenant_id: tenantId });
  });
});
