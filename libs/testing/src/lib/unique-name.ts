import { randomBytes } from 'node:crypto';

/**
 * `<prefix>_<creation time>_<random>`: unique across parallel test processes, and
 * the creation time lets a later run recognise leftovers of a killed one.
 */
export function stampedName(prefix: string): string {
  const safePrefix =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 30) || 'test';
  const createdAt = Math.floor(Date.now() / 1000).toString(36);
  return `t_${safePrefix}_${createdAt}_${randomBytes(4).toString('hex')}`;
}

const STAMPED_NAME = /^t_[a-z0-9_]+_([0-9a-z]+)_[0-9a-f]{8}$/;

/** When a name made by `stampedName` was made; undefined for any other name. */
export function createdAtOf(name: string): Date | undefined {
  const match = STAMPED_NAME.exec(name);
  if (!match) return undefined;
  const seconds = parseInt(match[1], 36);
  return Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined;
}

/**
 * A name no other test run uses, for queues, exchanges, routing keys or rows:
 * isolation by name when a whole vhost or database is more than a test needs.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
