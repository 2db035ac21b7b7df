import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import { principalOf } from './principal';

/**
 * The verified user of the request; `actor.organizationId` is the request's
 * tenant. Using it on a `@Public()` or `@InternalOnly()` route is a bug,
 * reported as one (500) rather than answered with a missing actor.
 */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = principalOf(context.switchToHttp().getRequest<object>());
  if (principal?.kind !== 'user') {
    throw new Error('@CurrentActor() used on a route without a verified access token.');
  }
  return principal.actor;
}) as () => ParameterDecorator;

/** The name of the calling service on an `@InternalOnly()` route. */
export const CurrentService = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = principalOf(context.switchToHttp().getRequest<object>());
  if (principal?.kind !== 'service') {
    throw new Error('@CurrentService() used on a route that is not @InternalOnly().');
  }
  return principal.serviceName;
}) as () => ParameterDecorator;
