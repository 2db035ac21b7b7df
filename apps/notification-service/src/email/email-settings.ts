import { headerSafe, isDeliverableAddress } from './header-safe';

export interface EmailSettings {
  smtpUrl: string;
  webUrl: string;
  from: { name: string; address: string };
  /** Delay before attempt n+1 after the n-th failure; the last one repeats. */
  retryDelaysMs: number[];
  maxAttempts: number;
  pollIntervalMs: number;
  /** A row still `sending` this long after its claim was abandoned (crash): it is claimed again. */
  sendingLeaseMs: number;
  batchSize: number;
}

export const EMAIL_SETTINGS = Symbol('EMAIL_SETTINGS');

const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000];

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}".`);
  return value;
}

/** `Name <address>` or a bare address. */
function parseFrom(raw: string): { name: string; address: string } {
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(raw);
  const name = headerSafe(match ? match[1].replace(/^"|"$/g, '') : '');
  const address = (match ? match[2] : raw).trim();
  if (!isDeliverableAddress(address))
    throw new Error(`NOTIFICATION_FROM must be "Name <address>" or an address, got "${raw}".`);
  return { name, address };
}

/** Read at boot: a bad setting fails the boot, not the first e-mail. */
export function emailSettings(env: NodeJS.ProcessEnv = process.env): EmailSettings {
  const smtpUrl = env['SMTP_URL'] || 'smtp://127.0.0.1:1025';
  if (!/^smtps?:\/\//.test(smtpUrl))
    throw new Error('SMTP_URL must be an smtp:// or smtps:// URL.');
  const webUrl = (env['WEB_URL'] || 'http://localhost:8080').replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(webUrl)) throw new Error('WEB_URL must be an http(s) URL.');
  const retryRaw = env['EMAIL_RETRY_DELAYS_MS'];
  const retryDelaysMs = retryRaw
    ? retryRaw.split(',').map((part) => {
        const value = Number(part.trim());
        if (!Number.isInteger(value) || value <= 0)
          throw new Error(`EMAIL_RETRY_DELAYS_MS must be positive integers, got "${retryRaw}".`);
        return value;
      })
    : DEFAULT_RETRY_DELAYS_MS;
  return {
    smtpUrl,
    webUrl,
    from: parseFrom(env['NOTIFICATION_FROM'] || 'Helpdesk <no-reply@helpdesk.local>'),
    retryDelaysMs,
    maxAttempts: positiveInteger(env, 'EMAIL_MAX_ATTEMPTS', 8),
    pollIntervalMs: positiveInteger(env, 'EMAIL_SENDER_POLL_MS', 500),
    sendingLeaseMs: positiveInteger(env, 'EMAIL_SENDING_LEASE_MS', 120_000),
    batchSize: positiveInteger(env, 'EMAIL_SENDER_BATCH_SIZE', 20),
  };
}
