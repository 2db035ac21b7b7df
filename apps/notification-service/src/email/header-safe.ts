import { isEmail } from 'class-validator';

/**
 * Control characters (CR and LF above all, but also NUL, TAB, DEL, the C1
 * range and the Unicode line/paragraph separators) could end a header and
 * start another (`Hi\r\nBcc: evil@x`). Every value bound for a header goes
 * through here: they become spaces, runs of white space collapse, and the
 * result is trimmed and cut to `max` characters.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function headerSafe(value: string, max = 200): string {
  return value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

/** A plain address (no display name, no comments, no control characters), at most 254 characters. */
export function isDeliverableAddress(address: string): boolean {
  return (
    address.length <= 254 &&
    !HAS_CONTROL.test(address) &&
    isEmail(address, { allow_display_name: false, allow_utf8_local_part: false })
  );
}

/** Lower-cased: the key that makes one recipient one recipient. */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}
