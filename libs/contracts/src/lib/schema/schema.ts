/**
 * A tiny schema DSL, written by hand because this library may depend on
 * nothing. Each payload is declared once as a schema value; its TypeScript type
 * is inferred from it (`Infer<typeof schema>`), so the type and the runtime
 * check can never drift apart.
 *
 * A schema only answers "is this value acceptable, and if not, why?": `check`
 * returns null when the value is fine, or a reason naming the field path.
 * Checks never throw and never mutate the value.
 */
export interface Schema<T> {
  /** Null when `value` is acceptable; otherwise `"<path>: <what was expected>"`. */
  check(value: unknown, path: string): string | null;
  /** True only for `optional(...)`: the key may be absent from its object. */
  readonly optional: boolean;
  /** True only for `secret(...)`: the value must be kept out of logs, audit and webhooks. */
  readonly secret: boolean;
  /** The fields of an `object(...)` schema, so tools (redaction) can walk it. */
  readonly fields?: Readonly<Record<string, Schema<unknown>>>;
  /** The element schema of an `arrayOf(...)`, so tools can walk it. */
  readonly items?: Schema<unknown>;
  /** Phantom: carries the inferred type; never set at runtime. */
  readonly __type?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never;
}[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ObjectOf<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
    [K in OptionalKeys<S>]?: Infer<S[K]>;
  }
>;

/** How a refused value is named in a reason: its kind, never its (possibly huge or secret) content. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function leaf<T>(check: (value: unknown, path: string) => string | null): Schema<T> {
  return { check, optional: false, secret: false };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

export interface StringOptions {
  /** Minimum length; 1 unless said otherwise: an empty string is almost always a bug. */
  min?: number;
  /** Maximum length; required so no field can carry an unbounded string. */
  max: number;
  pattern?: RegExp;
  /** What the pattern means, for the reason (`expected an e-mail address`). */
  patternName?: string;
}

export function string(options: StringOptions): Schema<string> {
  const min = options.min ?? 1;
  return leaf((value, path) => {
    if (typeof value !== 'string') return `${path}: expected a string, got ${describe(value)}`;
    if (value.length < min) {
      return min === 1
        ? `${path}: must not be empty`
        : `${path}: expected at least ${min} characters, got ${value.length}`;
    }
    if (value.length > options.max) {
      return `${path}: expected at most ${options.max} characters, got ${value.length}`;
    }
    if (options.pattern && !options.pattern.test(value)) {
      return `${path}: expected ${options.patternName ?? `to match ${String(options.pattern)}`}`;
    }
    return null;
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuid(): Schema<string> {
  return string({ max: 36, pattern: UUID, patternName: 'a uuid' });
}

// Seconds, and up to microseconds (PostgreSQL's precision), always `Z`: one
// unambiguous form, which `Date.prototype.toISOString()` produces.
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?Z$/;

/** True for a real calendar instant written as ISO-8601 UTC (`2026-01-31T09:00:00.000Z`). */
export function isIsoUtcTimestamp(value: string): boolean {
  const match = ISO_UTC.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2026-02-30 over to March: a round trip catches impossible dates.
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

export function isoTimestamp(): Schema<string> {
  return leaf((value, path) => {
    if (typeof value !== 'string') return `${path}: expected a string, got ${describe(value)}`;
    if (value.length > 40 || !isIsoUtcTimestamp(value)) {
      return `${path}: expected an ISO-8601 UTC timestamp like 2026-01-31T09:00:00.000Z`;
    }
    return null;
  });
}

export interface IntegerOptions {
  min?: number;
  max?: number;
}

export function integer(options: IntegerOptions = {}): Schema<number> {
  return leaf((value, path) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      return `${path}: expected an integer, got ${describe(value)}`;
    }
    if (options.min !== undefined && value < options.min) {
      return `${path}: expected an integer >= ${options.min}, got ${value}`;
    }
    if (options.max !== undefined && value > options.max) {
      return `${path}: expected an integer <= ${options.max}, got ${value}`;
    }
    return null;
  });
}

export function boolean(): Schema<boolean> {
  return leaf((value, path) =>
    typeof value === 'boolean' ? null : `${path}: expected a boolean, got ${describe(value)}`,
  );
}

export function oneOf<const V extends readonly string[]>(values: V): Schema<V[number]> {
  const allowed = new Set<unknown>(values);
  return leaf((value, path) =>
    allowed.has(value) ? null : `${path}: expected one of ${values.join(', ')}`,
  );
}

export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  // Wrappers spread the inner schema so `fields`, `items` and `secret` stay visible to tools.
  return { ...schema, check: (value, path) => (value === null ? null : schema.check(value, path)) };
}

/** The key may be absent (never `undefined`: JSON cannot carry it). */
export function optional<T>(schema: Schema<T>): OptionalSchema<T> {
  return { ...schema, optional: true };
}

/**
 * A value that must never be logged, audited or sent to webhooks (see
 * `redactSecrets`). Only for what a consumer must have in clear, e.g. the
 * reset token the notification service mails.
 */
export function secret<T>(schema: Schema<T>): Schema<T> {
  return { ...schema, secret: true };
}

/** Anything; for a part checked separately (the envelope's payload, against its type's schema). */
export function unchecked(): Schema<unknown> {
  return leaf(() => null);
}

export interface ArrayOptions {
  /** Maximum number of elements; required so no array is unbounded. */
  max: number;
}

export function arrayOf<T>(element: Schema<T>, options: ArrayOptions): Schema<T[]> {
  return {
    check(value, path) {
      if (!Array.isArray(value)) return `${path}: expected an array, got ${describe(value)}`;
      if (value.length > options.max) {
        return `${path}: expected at most ${options.max} elements, got ${value.length}`;
      }
      for (let i = 0; i < value.length; i++) {
        const reason = element.check(value[i], `${path}[${i}]`);
        if (reason) return reason;
      }
      return null;
    },
    optional: false,
    secret: false,
    items: element,
  };
}

export interface ObjectOptions {
  /** Refuse `{}`: e.g. an `*.updated` event whose `changes` name nothing. */
  nonEmpty?: boolean;
}

/** A plain object with exactly these keys (optional ones may be absent); unknown keys are refused. */
export function object<S extends Shape>(
  fields: S,
  options: ObjectOptions = {},
): Schema<ObjectOf<S>> {
  const keys = Object.keys(fields);
  return {
    check(value, path) {
      // The root object (the envelope) has an empty path: its reasons start with the field.
      const at = (message: string) => (path ? `${path}: ${message}` : message);
      if (!isPlainObject(value)) return at(`expected an object, got ${describe(value)}`);
      const unknownKey = Object.keys(value).find((key) => !hasOwn(fields, key));
      if (unknownKey !== undefined)
        return at(`unknown field ${JSON.stringify(unknownKey.slice(0, 50))}`);
      if (options.nonEmpty && Object.keys(value).length === 0) return at('must not be empty');
      for (const key of keys) {
        const schema = fields[key];
        const fieldPath = path ? `${path}.${key}` : key;
        if (!hasOwn(value, key)) {
          if (schema.optional) continue;
          return `${fieldPath}: is required`;
        }
        const reason = schema.check(value[key], fieldPath);
        if (reason) return reason;
      }
      return null;
    },
    optional: false,
    secret: false,
    fields,
  };
}
