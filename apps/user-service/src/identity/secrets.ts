import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/**
 * Opaque tokens (refresh, password reset, invitation): 256 random bits,
 * URL-safe. At rest only their SHA-256 — enough for values this random, and
 * a lookup by hash needs no per-row salt.
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** OWASP Password Storage Cheat Sheet minimum for argon2id: m = 19 MiB, t = 2, p = 1. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

@Injectable()
export class PasswordHasher {
  /**
   * A hash of nothing anyone knows, verified when there is no account, so an
   * unknown e-mail costs the same time as a wrong password.
   */
  private readonly decoy = argon2.hash(newOpaqueToken(), ARGON2_OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  async verify(hash: string | null, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash ?? (await this.decoy), password);
    } catch {
      return false;
    }
  }

  /** Same work as a real verification, for the paths where there is nothing to verify. */
  async spendVerificationTime(password: string): Promise<void> {
    await this.verify(null, password);
  }

  /** Hashes made with weaker parameters are upgraded at the next successful sign-in. */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, ARGON2_OPTIONS);
  }
}
