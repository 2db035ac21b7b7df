import { ValidationError, getMetadataStorage } from 'class-validator';
import type { FieldError } from '../problem/problem';

const WHITELIST_CONSTRAINT = 'whitelistValidation';

/**
 * Flattens class-validator's error tree into one entry per invalid field,
 * named by its path: `address.city` for nested objects, `items[2].name` for
 * elements of nested arrays and `tags[0]` for an element of a primitive array
 * checked with `{ each: true }`.
 */
export function toFieldErrors(errors: readonly ValidationError[], parentPath = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = joinPath(parentPath, error.property);
    const own = Object.entries(error.constraints ?? {}).flatMap(([constraint, message]) =>
      constraint === WHITELIST_CONSTRAINT
        ? [{ field: path, message: 'is not an allowed field' }]
        : fieldErrorsOfConstraint(error, path, constraint, message),
    );
    return [...own, ...toFieldErrors(error.children ?? [], path)];
  });
}

function joinPath(parentPath: string, property: string | undefined): string {
  if (property === undefined || property === '') return parentPath;
  if (/^\d+$/.test(property) && parentPath !== '') return `${parentPath}[${property}]`;
  return parentPath === '' ? property : `${parentPath}.${property}`;
}

/** class-validator's messages start with the property's name, which `field` already gives. */
function withoutSubject(message: string, property: string): string {
  for (const prefix of [`each value in ${property} `, `${property} `]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  }
  return message;
}

/**
 * class-validator reports an `{ each: true }` failure once for the whole
 * array; re-running that constraint per element tells which ones failed.
 */
function fieldErrorsOfConstraint(
  error: ValidationError,
  path: string,
  constraint: string,
  message: string,
): FieldError[] {
  const text = withoutSubject(message, error.property);
  const failing = failingElementIndexes(error, constraint);
  return failing === undefined
    ? [{ field: path, message: text }]
    : failing.map((index) => ({ field: `${path}[${index}]`, message: text }));
}

function failingElementIndexes(error: ValidationError, constraint: string): number[] | undefined {
  const target = error.target;
  const value: unknown = error.value;
  if (!target || !Array.isArray(value)) return undefined;
  const storage = getMetadataStorage();
  for (const metadata of storage.getTargetValidationMetadatas(
    target.constructor,
    '',
    true,
    false,
  )) {
    if (metadata.propertyName !== error.property || !metadata.each) continue;
    // The same naming class-validator uses for the keys of `constraints`.
    const validators = storage
      .getTargetValidatorConstraints(metadata.constraintCls)
      .filter((validator) => (validator.name || metadata.type) === constraint);
    if (validators.length === 0) continue;
    const failing: number[] = [];
    for (const [index, element] of value.entries()) {
      const args = {
        value: element,
        constraints: metadata.constraints,
        targetName: target.constructor.name,
        object: target,
        property: error.property,
      };
      const verdicts = validators.map((validator) => validator.instance.validate(element, args));
      if (verdicts.some((verdict) => verdict instanceof Promise)) return undefined; // async constraints: keep the array-level answer
      if (verdicts.some((verdict) => !verdict)) failing.push(index);
    }
    return failing.length > 0 ? failing : undefined;
  }
  return undefined;
}
