import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { announceToSiblings, onSiblingAnnouncement } from '@helpdesk/http';

const FORGET_CHANNEL = 'ticket-service.list-totals.forget';

const MAX_ENTRIES = 10_000;

export function listTotalCacheMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env['LIST_TOTAL_CACHE_MS'] ?? 2_000);
  if (!Number.isFinite(value) || value < 0)
    throw new Error('LIST_TOTAL_CACHE_MS must be 0 or more');
  return value;
}

/**
 * The `total` of a list page, remembered for LIST_TOTAL_CACHE_MS (2 s). An
 * exact count over an organization's 100,000 tickets costs ~8 ms a request
 * — more than the page itself by two orders of magnitude — while a web app
 * asks for the same total on every page turn and refresh. Writes made through
 * this process — and its sibling workers on the host (HTTP_WORKERS) — forget
 * their organization's totals at once, so a client sees its own changes;
 * another host's writes show within the TTL.
 */
@Injectable()
export class ListTotals implements OnModuleDestroy {
  private readonly ttlMs = listTotalCacheMs();
  private readonly entries = new Map<
    string,
    { total: number; expiresAt: number; generation: number }
  >();
  private readonly generations = new Map<string, number>();
  private readonly stopListening = onSiblingAnnouncement(FORGET_CHANNEL, (tenantId) => {
    if (typeof tenantId === 'string') this.bump(tenantId);
  });

  async total(tenantId: string, key: string, count: () => Promise<number>): Promise<number> {
    if (this.ttlMs === 0) return count();
    const generation = this.generations.get(tenantId) ?? 0;
    const cacheKey = `${tenantId}|${key}`;
    const cached = this.entries.get(cacheKey);
    if (cached && cached.generation === generation && cached.expiresAt > Date.now())
      return cached.total;
    const total = await count();
    if (this.entries.size >= MAX_ENTRIES)
      this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(cacheKey, { total, expiresAt: Date.now() + this.ttlMs, generation });
    return total;
  }

  /** After a committed change to the organization's tickets. */
  forget(tenantId: string): void {
    this.bump(tenantId);
    announceToSiblings(FORGET_CHANNEL, tenantId);
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  private bump(tenantId: string): void {
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
  }
}
