import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { currentManager, withTransaction } from '@helpdesk/database';
import type { SigningKeyResolver } from '@helpdesk/auth';
import { IDENTITY_SETTINGS, type IdentitySettings } from '../config';
import { SigningKeySchema } from '../persistence/schemas';
import { SigningKey, type PublicJwk } from './signing-key';

/** Serialises key creation across replicas: two starting at once make one key. */
const KEY_LOCK = 0x75736b31; // "usk1"
const RELOAD_INTERVAL_MS = 60_000;
/** Tokens may be verified a little after `exp` (clock skew); keep keys that long too. */
const CLOCK_SKEW_MS = 60_000;

/**
 * The access-token signing keys: persisted, so tokens survive restarts and
 * every replica signs with the same key; rotated after SIGNING_KEY_ROTATION_DAYS
 * (or on demand: `node main.js rotate-keys`), the old public key published
 * until its last token has expired.
 */
@Injectable()
export class SigningKeys implements SigningKeyResolver, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SigningKeys.name);
  private keys: SigningKey[] = [];
  private publicKeys = new Map<string, KeyObject>();
  private lastLoad = 0;
  private timer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureCurrentKey();
    this.timer = setInterval(() => {
      this.ensureCurrentKey().catch((error: unknown) => {
        // A reload still in flight when the app closes its pool is not worth a warning.
        if (!this.closing) this.logger.warn(`could not reload signing keys: ${String(error)}`);
      });
    }, RELOAD_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.closing = true;
    clearInterval(this.timer);
  }

  /** The key new tokens are signed with. */
  current(): SigningKey {
    const key = this.keys.find((candidate) => candidate.retiredAt === null);
    if (!key) throw new Error('no signing key loaded');
    return key;
  }

  /** The JWKS: every key whose tokens may still be alive. */
  jwks(now = new Date()): { keys: PublicJwk[] } {
    return { keys: this.keys.filter((key) => key.isPublished(now)).map((key) => key.publicJwk) };
  }

  /** For local verification of our own tokens; reloads (at most once a second) on an unknown kid. */
  async resolve(kid: string): Promise<KeyObject | undefined> {
    if (!this.publicKeys.has(kid) && Date.now() - this.lastLoad > 1_000) await this.load();
    return this.publicKeys.get(kid);
  }

  /** Retires the current key and starts signing with a new one. */
  async rotate(now = new Date()): Promise<SigningKey> {
    await withTransaction(this.dataSource, async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      await this.rotateLocked(now);
    });
    await this.load();
    return this.current();
  }

  private async ensureCurrentKey(now = new Date()): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const current = await manager
        .getRepository(SigningKeySchema)
        .findOne({ where: { retiredAt: IsNull() }, order: { createdAt: 'DESC' } });
      const due =
        current &&
        now.getTime() - current.createdAt.getTime() >= this.settings.signingKeyRotationMs;
      if (!current || due) await this.rotateLocked(now);
    });
    await this.load();
  }

  private async rotateLocked(now: Date): Promise<void> {
    const keys = currentManager(this.dataSource).getRepository(SigningKeySchema);
    for (const key of await keys.find({ where: { retiredAt: IsNull() } })) {
      key.retire(this.settings.accessTokenTtlSeconds * 1000 + CLOCK_SKEW_MS, now);
      await keys.save(key);
    }
    await keys.save(SigningKey.generate(now));
    this.logger.log('signing key rotated');
  }

  private async load(): Promise<void> {
    const keys = await this.dataSource
      .getRepository(SigningKeySchema)
      .find({ order: { createdAt: 'DESC' } });
    const now = new Date();
    this.keys = keys.filter((key) => key.isPublished(now));
    this.publicKeys = new Map(this.keys.map((key) => [key.kid, key.publicKey()]));
    this.lastLoad = Date.now();
  }
}
