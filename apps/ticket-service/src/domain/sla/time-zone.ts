/**
 * Wall-clock time in an IANA time zone, with nothing but `Intl`.
 *
 * `Intl.DateTimeFormat` answers one question: which wall time does an instant
 * show in a zone. Everything else here is derived from that: a zone's UTC
 * offset at an instant, and the instant a wall time stands for — which is not
 * always one instant: a wall time in a spring-forward gap does not exist (it
 * maps to the first instant after the gap, the transition itself), one in a
 * fall-back overlap exists twice (it maps to the earlier one).
 */

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A wall time; omitted fields are 0. Fields may overflow (hour 24 = next day 00:00, minute 90 = 01:30). */
export interface WallTime {
  year: number;
  /** 1 = January … 12 = December. */
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

/** The wall time an instant shows in a zone. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: IsoWeekday;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    // Throws a RangeError for a time zone Intl does not know.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Throws a RangeError unless `timeZone` is an IANA time zone Intl knows. */
export function assertTimeZone(timeZone: string): void {
  if (typeof timeZone !== 'string' || timeZone.trim() === '')
    throw new RangeError(`not a time zone: ${JSON.stringify(timeZone)}`);
  formatter(timeZone);
}

/** A wall time read as if it were UTC, in ms since the epoch (years 0–99 are not 1900–1999). */
function wallMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  if (year >= 0 && year < 100) {
    const date = new Date(ms);
    date.setUTCFullYear(date.getUTCFullYear() - 1900);
    return date.getTime();
  }
  return ms;
}

function toMs(instant: Date | number, name = 'instant'): number {
  const ms =
    typeof instant === 'number' ? instant : instant instanceof Date ? instant.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid instant`);
  return ms;
}

/** ISO weekday of a day number (days since 1970-01-01, a Thursday). */
export function weekdayOfDayNumber(dayNumber: number): IsoWeekday {
  return (((((dayNumber + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

/** The wall time `instant` shows in `timeZone`. */
export function utcToZonedParts(instant: Date | number, timeZone: string): ZonedParts {
  const ms = toMs(instant);
  const seconds = Math.floor(ms / 1000) * 1000;
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(seconds)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  // Some ICU versions still print midnight as 24 despite h23.
  if (fields.hour === 24) fields.hour = 0;
  const dayNumber = Math.floor(wallMs(fields.year, fields.month, fields.day) / DAY_MS);
  return { ...fields, millisecond: ms - seconds, weekday: weekdayOfDayNumber(dayNumber) };
}

/** The zone's offset from UTC at `instant`, in ms (Europe/Berlin in winter: +3 600 000). */
export function timeZoneOffsetMs(instant: Date | number, timeZone: string): number {
  const ms = toMs(instant);
  const seconds = Math.floor(ms / 1000) * 1000;
  const p = utcToZonedParts(seconds, timeZone);
  return wallMs(p.year, p.month, p.day, p.hour, p.minute, p.second) - seconds;
}

/**
 * The instant at which the wall clock in `timeZone` shows `wall`.
 * - In a spring-forward gap (the wall time does not exist, e.g. 02:30 on
 *   2026-03-29 in Europe/Berlin): the first instant that exists after it —
 *   the transition, which the wall clock shows as 03:00.
 * - In a fall-back overlap (the wall time exists twice, e.g. 02:30 on
 *   2026-10-25 in Europe/Berlin): the earlier instant (02:30 CEST).
 */
export function zonedWallTimeToUtc(wall: WallTime, timeZone: string): Date {
  const local = wallMs(
    wall.year,
    wall.month,
    wall.day,
    wall.hour,
    wall.minute,
    wall.second,
    wall.millisecond,
  );
  if (!Number.isFinite(local)) throw new RangeError(`not a wall time: ${JSON.stringify(wall)}`);
  // Offsets lie within −12 h … +14 h, so the instant lies within a day of
  // `local`; the offsets a day before and after are the candidates.
  const before = timeZoneOffsetMs(local - DAY_MS, timeZone);
  const after = timeZoneOffsetMs(local + DAY_MS, timeZone);
  let earliest: number | undefined;
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = local - offset;
    if (
      timeZoneOffsetMs(candidate, timeZone) === offset &&
      (earliest === undefined || candidate < earliest)
    )
      earliest = candidate;
  }
  if (earliest !== undefined) return new Date(earliest);
  if (before >= after) {
    // No gap can explain it (two transitions within two days): take the
    // offset in force at `local` itself.
    return new Date(local - timeZoneOffsetMs(local, timeZone));
  }
  // A gap: the offset jumps from `before` to `after` at some instant T, and
  // `local - after` < T <= `local - before`. Transitions fall on whole
  // seconds; find T by bisection.
  let lo = Math.floor((local - after) / 1000);
  let hi = Math.ceil((local - before) / 1000);
  const offsetLo = timeZoneOffsetMs(lo * 1000, timeZone);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (timeZoneOffsetMs(mid * 1000, timeZone) === offsetLo) lo = mid;
    else hi = mid;
  }
  return new Date(hi * 1000);
}
