import { postgresErrorCode } from '@helpdesk/database';

/** SQLSTATE 23503: a foreign key points at no row (e.g. a department deleted meanwhile). */
const FOREIGN_KEY_VIOLATION = '23503';

export function isForeignKeyViolation(error: unknown): boolean {
  return postgresErrorCode(error) === FOREIGN_KEY_VIOLATION;
}
