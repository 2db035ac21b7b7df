/**
 * A business rule said no. The domain states which kind of no it is; the
 * HTTP layer (@helpdesk/http's error filter) turns it into 409, 403 or 400.
 */
export type RuleKind = 'conflict' | 'forbidden' | 'invalid';

export class RuleViolation extends Error {
  constructor(
    readonly kind: RuleKind,
    message: string,
    /** For `invalid`: the request field at fault. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RuleViolation';
  }
}
