import { SetMetadata } from '@nestjs/common';
import type { Role } from '@helpdesk/contracts';

export const PUBLIC_ROUTE = 'helpdesk:auth:public';
export const INTERNAL_ONLY_ROUTE = 'helpdesk:auth:internal-only';
export const MINIMUM_ROLE = 'helpdesk:auth:minimum-role';

/** No token needed (login, refresh, invitation acceptance…). On a handler or a controller. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * For other services only: a service token addressed to this service is
 * required, and a user's access token is refused whatever its role.
 */
export const InternalOnly = (): MethodDecorator & ClassDecorator =>
  SetMetadata(INTERNAL_ONLY_ROUTE, true);

/** The least role allowed (requester < agent < manager < admin); a handler's overrides its controller's. */
export const Roles = (minimum: Role): MethodDecorator & ClassDecorator =>
  SetMetadata(MINIMUM_ROLE, minimum);
