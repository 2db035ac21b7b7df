import { Injectable } from '@nestjs/common';
import type { IntegrationEventBase } from '@helpdesk/contracts';

export const HANDLES_ALL_EVENTS_METADATA = 'helpdesk:handles-all-events';

/**
 * A provider that receives every integration event of every domain (the audit
 * trail): the consumer binds its queue with `#` on each domain exchange.
 */
export interface IntegrationEventSink {
  handle(event: IntegrationEventBase): Promise<void> | void;
}

/** Marks an `IntegrationEventSink` provider; it is also made `@Injectable()`. */
export function HandlesAllEvents(): ClassDecorator {
  return (target) => {
    Injectable()(target);
    Reflect.defineMetadata(HANDLES_ALL_EVENTS_METADATA, true, target);
  };
}
