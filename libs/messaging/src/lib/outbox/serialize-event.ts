import { type IntegrationEventBase, parseIntegrationEvent } from '@helpdesk/contracts';
import { InvalidIntegrationEventError } from './invalid-integration-event.error';

/**
 * `raise` and `publish` both check an event; the second reuses the first's JSON.
 * Events are frozen (shallowly), and what gets written is exactly the JSON that
 * was checked, so a later mutation of a nested payload cannot smuggle in anything invalid.
 */
const accepted = new WeakMap<IntegrationEventBase, string>();

/**
 * The event as it will travel, checked by the very parser consumers run: what
 * a consumer would refuse is refused here, while the command can still fail.
 */
export function serializeEvent(event: IntegrationEventBase): string {
  const known = accepted.get(event);
  if (known !== undefined) return known;
  const json = JSON.stringify(event.toEnvelope());
  const parsed = parseIntegrationEvent(json);
  if (!parsed.ok) throw new InvalidIntegrationEventError(event.eventType, parsed.reason);
  accepted.set(event, json);
  return json;
}
