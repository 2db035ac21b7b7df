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

const STAMPED_NAME = /^t_[a-z0-9_]+_([0-9a-z]{6,})_[0-9a-f]{8}$/;
/** No stamp predates this library; an older "stamp" is a word of someone else's name. */
const EARLIEST_STAMP = Date.UTC(2025, 0, 1);

/** When a name made by `stampedName` was made; undefined for any other name. */
export function createdAtOf(name: string): Date | undefined {
  const match = STAMPED_NAME.exec(name);
  if (!match) return undefined;
  // A name like `t_platform_build_1a2b3c4d` (not ours) must never look stale and be swept.
  const milliseconds = parseInt(match[1], 36) * 1000;
  return Number.isFinite(milliseconds) &&
    milliseconds >= EARLIEST_STAMP &&
    milliseconds <= Date.now() + 86_400_000
    ? new Date(milliseconds)
    : undefined;
}

/**
 * A name no other test run uses, for queues, exchanges, routing keys or rows:
 * isolation by name when a whole vhost or database is more than a test needs.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
