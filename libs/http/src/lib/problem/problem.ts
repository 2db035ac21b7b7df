import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Every problem carries `about:blank`: its meaning is the HTTP status, and
 * `title` is that status's reason phrase (RFC 9457 §4.2.1). Domain code that
 * needs a machine-readable kind beyond the status passes its own `type` URI.
 */
export const DEFAULT_PROBLEM_TYPE = 'about:blank';

/** One invalid input: `field` is the property path (`title`, `tags[0]`, `address.city`). */
export interface FieldError {
  field: string;
  message: string;
}

/** The body of every error answer (RFC 9457). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The path of the request that failed. */
  instance?: string;
  /** For 400: each invalid field. */
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface ProblemOptions {
  type?: string;
  title?: string;
  errors?: FieldError[];
  /** Extra members for the client, e.g. `{ allowedStatuses: ['open'] }` on a 409. */
  extensions?: Record<string, unknown>;
  /** Response headers that belong to this answer, e.g. `Retry-After` on a 429. */
  headers?: Record<string, string>;
}

export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/**
 * An error meant for the client, answered exactly as written — unlike other
 * errors, whose 5xx details are hidden.
 *
 *   throw new ProblemException(409, 'A closed ticket cannot be reopened', { extensions: { allowedStatuses: [] } });
 *   throw ProblemException.invalidField('assigneeId', 'must be an agent of this organization');
 */
export class ProblemException extends HttpException {
  readonly problemType: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, detail: string, options: ProblemOptions = {}) {
    super(detail, status);
    this.problemType = options.type ?? DEFAULT_PROBLEM_TYPE;
    this.title = options.title ?? reasonPhrase(status);
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  /** 400 listing each invalid field. */
  static invalidFields(
    errors: FieldError[],
    detail = describeInvalidFields(errors),
  ): ProblemException {
    return new ProblemException(400, detail, { errors });
  }

  /** 400 for one invalid field. */
  static invalidField(field: string, message: string): ProblemException {
    return ProblemException.invalidFields([{ field, message }]);
  }

  toProblem(instance?: string): ProblemDetails {
    return {
      ...this.extensions,
      type: this.problemType,
      title: this.title,
      status: this.getStatus(),
      detail: this.message,
      ...(instance === undefined ? {} : { instance }),
      ...(this.errors === undefined ? {} : { errors: this.errors }),
    };
  }
}

function describeInvalidFields(errors: FieldError[]): string {
  const fields = [...new Set(errors.map((error) => error.field))];
  return fields.length === 0
    ? 'The request is invalid.'
    : `Invalid request fields: ${fields.join(', ')}.`;
}
