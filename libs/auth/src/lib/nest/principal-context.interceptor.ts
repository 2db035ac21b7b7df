import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { withEventContext } from '@helpdesk/messaging';
import { Observable } from 'rxjs';
import { type Principal, principalOf, principalStorage } from './principal';

/**
 * Runs the handler with the request's principal in scope: `currentActor()`
 * answers deep inside services, and events raised meanwhile carry the actor
 * (a user id, or the calling service's name) in their metadata.
 */
@Injectable()
export class PrincipalContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const principal = principalOf(context.switchToHttp().getRequest<object>());
    if (!principal) return next.handle();
    // next.handle() must be called inside the contexts: Nest binds the
    // handler's async context at that moment.
    return new Observable((subscriber) =>
      principalStorage.run(principal, () =>
        withEventContext(eventActorOf(principal), () => next.handle().subscribe(subscriber)),
      ),
    );
  }
}

function eventActorOf(principal: Principal): { actorId: string; actorType: 'user' | 'service' } {
  return principal.kind === 'user'
    ? { actorId: principal.actor.userId, actorType: 'user' }
    : { actorId: principal.serviceName, actorType: 'service' };
}
