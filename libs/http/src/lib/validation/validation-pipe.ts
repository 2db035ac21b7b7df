import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ProblemException } from '../problem/problem';
import { toFieldErrors } from './field-errors';

/**
 * Bodies, queries and params are turned into their DTO classes and checked;
 * a property the DTO does not declare is an error, not silently dropped, so a
 * client's typo (`titel`) is reported instead of ignored.
 */
class ProblemValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: true, value: true },
      exceptionFactory: (errors) => ProblemException.invalidFields(toFieldErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A JSON array, string or null where a DTO is expected would otherwise surface as odd
    // per-index or per-field complaints; say what is actually wrong.
    if (
      metadata.type === 'body' &&
      value !== undefined &&
      this.toValidate(metadata) &&
      !isJsonObject(value)
    ) {
      throw new ProblemException(400, 'The request body must be a JSON object.');
    }
    return super.transform(value, metadata);
  }
}

function isJsonObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function createValidationPipe(): ValidationPipe {
  return new ProblemValidationPipe();
}
