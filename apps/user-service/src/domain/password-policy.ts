import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 10;
/** Long enough for any passphrase; bounded so hashing cannot be made expensive. */
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Why a password is refused, or undefined when it is acceptable. OWASP ASVS
 * style: length over composition rules, no reuse of the address, no
 * well-known passwords.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lowered = password.toLowerCase();
  if (email) {
    const address = email.trim().toLowerCase();
    const local = address.split('@')[0] ?? '';
    if (
      lowered === address ||
      lowered.includes(address) ||
      (local.length >= 4 && lowered.includes(local))
    )
      return 'must not contain your e-mail address';
  }
  if (COMMON_PASSWORDS.has(lowered) || /^(.)\1+$/.test(password) || isSequence(lowered))
    return 'is too common; choose a less guessable password';
  return undefined;
}

function isSequence(value: string): boolean {
  const ascending = '0123456789abcdefghijklmnopqrstuvwxyz';
  const descending = [...ascending].reverse().join('');
  return ascending.includes(value) || descending.includes(value);
}
