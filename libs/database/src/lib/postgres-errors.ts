/** SQLSTATE codes this library reacts to (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const PostgresErrorCode = {
  uniqueViolation: '23505',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  duplicateDatabase: '42P04',
  invalidCatalogName: '3D000',
} as const;

/**
 * The SQLSTATE of a failed query, whether it comes straight from `pg` or wrapped
 * in TypeORM's QueryFailedError (which copies the driver error's fields and also
 * keeps it as `driverError`).
 */
export function postgresErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, driverError } = error as { code?: unknown; driverError?: unknown };
  if (typeof code === 'string') return code;
  return driverError === undefined ? undefined : postgresErrorCode(driverError);
}
