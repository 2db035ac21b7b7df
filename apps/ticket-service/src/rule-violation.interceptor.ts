import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import { ProblemException } from '@helpdesk/http';
import { RuleViolation } from './domain/rule-violation';

const STATUS = { conflict: 409, forbidden: 403, invalid: 400 } as const;

/** The domain says which rule refused; this says it in HTTP. */
@Injectable()
export class RuleViolationInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof RuleViolation)) throw error;
        throw new ProblemException(STATUS[error.kind], error.message, {
          ...(error.field ? { errors: [{ field: error.field, message: error.message }] } : {}),
        });
      }),
    );
  }
}
