import { ValidateIf } from 'class-validator';

/**
 * Optional, but not nullable: an absent field is left alone, while `null`
 * still goes through the field's validators (and fails them). class-validator's
 * IsOptional would let `null` through.
 */
export const IsOmittable = (): PropertyDecorator =>
  ValidateIf((_object, value) => value !== undefined);

/** Some visible character: a name of only spaces is no name. */
export const NOT_BLANK = /\S/;
export const NOT_BLANK_MESSAGE = 'must not be blank';
