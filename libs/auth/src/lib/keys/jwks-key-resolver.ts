import { type JsonWebKey, type KeyObject, createPublicKey } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ACCESS_TOKEN_ALGORITHM } from '../access-token/access-token-claims';
import { type Clock, systemClock } from '../access-token/clock';
import { isValidKeyId } from './key-id';
import type { SigningKeyResolver } from './signing-key-resolver';

export const DEFAULT_JWKS_URL = 'http://127.0.0.1:3001/.well-known/jwks.json';

export interface JwksKeyResolverOptions {
  /** Defaults to `AUTH_JWKS_URL`, else user-service on its local port. */
  url?: string;
  /** One fetch may take this long. Default 3 s. */
  timeoutMs?: number;
  /**
   * An unknown kid triggers a refetch at most this often (default 30 s): a
   * flood of tokens with random kids costs user-service one request per
   * interval per replica, not one per token.
   */
  minRefreshIntervalMs?: number;
  /** Keys are refetched when older than this (default 10 min), so a removed key stops working. */
  maxAgeMs?: number;
  clock?: Clock;
}

/** Injection token for JwksKeyResolver's options when it is given to AuthModule as a class. */
export const JWKS_KEY_RESOLVER_OPTIONS = Symbol('JWKS_KEY_RESOLVER_OPTIONS');

/** A JWKS is a handful of keys; anything bigger is not what we asked for. */
const MAX_JWKS_BYTES = 64 * 1024;

/**
 * Before the first successful fetch (user-service still starting) an unknown
 * kid may retry sooner than minRefreshIntervalMs, or every token would be
 * refused for that long after boot.
 */
const UNLOADED_RETRY_INTERVAL_MS = 1_000;

/**
 * user-service's public signing keys, from its JWKS endpoint. Only EC P-256
 * ES256 signature keys are kept; the URL is configuration, never a token's
 * header (jku/x5u/jwk are not read anywhere).
 */
@Injectable()
export class JwksKeyResolver implements SigningKeyResolver {
  private readonly logger = new Logger(JwksKeyResolver.name);
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly minRefreshIntervalMs: number;
  private readonly maxAgeMs: number;
  private readonly clock: Clock;
  private keys = new Map<string, KeyObject>();
  /** When the keys were last fetched successfully; undefined until then. */
  private loadedAt: number | undefined;
  private lastAttemptAt: number | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(@Optional() @Inject(JWKS_KEY_RESOLVER_OPTIONS) options: JwksKeyResolverOptions = {}) {
    this.url = options.url ?? (process.env['AUTH_JWKS_URL'] || DEFAULT_JWKS_URL);
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.minRefreshIntervalMs = options.minRefreshIntervalMs ?? 30_000;
    this.maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.clock = options.clock ?? systemClock;
  }

  async resolve(kid: string): Promise<KeyObject | undefined> {
    if (!isValidKeyId(kid)) return undefined;
    if (this.isStale() && this.mayRefresh()) await this.refresh();
    const known = this.keys.get(kid);
    if (known) return known;
    if (this.mayRefresh()) await this.refresh();
    return this.keys.get(kid);
  }

  private isStale(): boolean {
    return this.loadedAt === undefined || this.clock() - this.loadedAt >= this.maxAgeMs;
  }

  private mayRefresh(): boolean {
    if (this.inFlight) return true; // joining a fetch in progress costs nothing
    if (this.lastAttemptAt === undefined) return true;
    const interval =
      this.loadedAt === undefined
        ? Math.min(this.minRefreshIntervalMs, UNLOADED_RETRY_INTERVAL_MS)
        : this.minRefreshIntervalMs;
    return this.clock() - this.lastAttemptAt >= interval;
  }

  /** One fetch at a time; concurrent callers share it. A failure keeps the keys we had. */
  private refresh(): Promise<void> {
    this.inFlight ??= this.fetchKeys()
      .then((keys) => {
        this.keys = keys;
        this.loadedAt = this.clock();
      })
      .catch((error: unknown) => {
        this.logger.warn(
          `JWKS fetch from ${this.url} failed, keeping ${this.keys.size} cached key(s): ${messageOf(error)}`,
        );
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private async fetchKeys(): Promise<Map<string, KeyObject>> {
    this.lastAttemptAt = this.clock();
    const response = await fetch(this.url, {
      signal: AbortSignal.timeout(this.timeoutMs),
      headers: { accept: 'application/json' },
      redirect: 'error',
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    if (Number(response.headers.get('content-length') ?? 0) > MAX_JWKS_BYTES) {
      throw new Error('JWKS too large');
    }
    const body = await response.text();
    if (body.length > MAX_JWKS_BYTES) throw new Error('JWKS too large');
    const jwks = JSON.parse(body) as { keys?: unknown };
    if (!Array.isArray(jwks.keys)) throw new Error('no "keys" array');
    const keys = new Map<string, KeyObject>();
    for (const jwk of jwks.keys) {
      const key = es256SigningKey(jwk);
      if (key) keys.set(key.kid, key.key);
    }
    return keys;
  }
}

/** The key if `jwk` is an EC P-256 public key meant for ES256 signatures; otherwise it is skipped. */
function es256SigningKey(jwk: unknown): { kid: string; key: KeyObject } | undefined {
  if (typeof jwk !== 'object' || jwk === null) return undefined;
  const { kty, crv, x, y, kid, alg, use } = jwk as Record<string, unknown>;
  if (kty !== 'EC' || crv !== 'P-256' || alg !== ACCESS_TOKEN_ALGORITHM || use !== 'sig') {
    return undefined;
  }
  if (typeof x !== 'string' || typeof y !== 'string' || !isValidKeyId(kid)) return undefined;
  try {
    // Only the public coordinates are taken: a stray private part ("d") is never imported.
    const publicJwk: JsonWebKey = { kty, crv, x, y };
    return { kid, key: createPublicKey({ key: publicJwk, format: 'jwk' }) };
  } catch {
    return undefined; // not a point on the curve
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
