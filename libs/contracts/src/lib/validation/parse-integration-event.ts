import type { IntegrationEventBase, ParseResult } from '../envelope';
import { validateEnvelope } from './validate-envelope';

/**
 * The largest message accepted, in bytes. The biggest legitimate event (a
 * 20 000-character ticket description or comment, up to 4 bytes per character
 * in UTF-8, plus the envelope) fits well below it; anything larger is refused
 * before it is decoded or parsed.
 */
export const MAX_EVENT_BYTES = 256 * 1024;

/** Refuses invalid UTF-8 instead of silently replacing it with U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A message body from the bus → an instance of its catalogue class, or the
 * reason it is refused (for the dead-letter queue). Never throws.
 */
export function parseIntegrationEvent(raw: Uint8Array | string): ParseResult<IntegrationEventBase> {
  try {
    const size = typeof raw === 'string' ? raw.length : raw.byteLength;
    if (size > MAX_EVENT_BYTES) {
      const unit = typeof raw === 'string' ? 'characters' : 'bytes';
      return { ok: false, reason: `message too large: ${size} ${unit} (limit ${MAX_EVENT_BYTES})` };
    }
    let text: string;
    if (typeof raw === 'string') {
      text = raw;
    } else {
      try {
        text = utf8.decode(raw);
      } catch {
        return { ok: false, reason: 'message is not valid UTF-8' };
      }
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message.slice(0, 120) : 'unparseable';
      return { ok: false, reason: `message is not valid JSON: ${detail}` };
    }
    return validateEnvelope(value);
  } catch {
    // Not a string or byte array at all (a caller outside TypeScript's reach).
    return { ok: false, reason: 'message is neither text nor bytes' };
  }
}
