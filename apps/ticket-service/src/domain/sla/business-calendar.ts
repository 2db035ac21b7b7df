import {
  assertTimeZone,
  DAY_MS,
  MINUTE_MS,
  timeZoneOffsetMs,
  utcToZonedParts,
  weekdayOfDayNumber,
  zonedWallTimeToUtc,
  type IsoWeekday,
} from './time-zone';

/** One working period in a day, wall-clock "HH:MM" in the organization's time zone, start < end ("24:00" allowed as an end). */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/** ISO weekday 1 = Monday … 7 = Sunday → periods (sorted, non-overlapping). A day missing = closed. */
export interface WeeklySchedule {
  timeZone: string;
  days: Partial<Record<IsoWeekday, WorkingPeriod[]>>;
}

const ISO_WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];
const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/**
 * From the organization's settings as the user directory carries them today:
 * one period on some weekdays, or null (= always open, 24/7).
 */
export function scheduleFromBusinessHours(
  businessHours: { weekdays: number[]; start: string; end: string } | null,
  timeZone: string,
): WeeklySchedule | null {
  if (businessHours === null) return null;
  const days: WeeklySchedule['days'] = {};
  for (const weekday of businessHours.weekdays) {
    if (!ISO_WEEKDAYS.includes(weekday as IsoWeekday))
      throw new RangeError(`not an ISO weekday (1 = Monday … 7 = Sunday): ${weekday}`);
    days[weekday as IsoWeekday] = [{ start: businessHours.start, end: businessHours.end }];
  }
  return { timeZone, days };
}

/** A period as minutes since local midnight. */
interface Period {
  start: number;
  end: number;
}

/** [start, end) in ms since the epoch. */
type Interval = readonly [number, number];

const NO_INTERVALS: readonly Interval[] = [];
const CACHE_LIMIT = 4096;

function minutesOf(clock: string, isEnd: boolean, where: string): number {
  if (typeof clock !== 'string' || !(CLOCK_TIME.test(clock) || (isEnd && clock === '24:00')))
    throw new RangeError(`${where}: ${JSON.stringify(clock)} is not a time HH:MM`);
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

function compileWeek(schedule: WeeklySchedule): Period[][] {
  assertTimeZone(schedule.timeZone);
  for (const key of Object.keys(schedule.days ?? {}))
    if (!ISO_WEEKDAYS.includes(Number(key) as IsoWeekday))
      throw new RangeError(`not an ISO weekday (1 = Monday … 7 = Sunday): ${key}`);
  const week: Period[][] = [[]];
  for (const weekday of ISO_WEEKDAYS) {
    const periods = (schedule.days[weekday] ?? []).map((period, index) => {
      const where = `weekday ${weekday}, period ${index}`;
      const start = minutesOf(period.start, false, `${where} start`);
      const end = minutesOf(period.end, true, `${where} end`);
      if (end <= start)
        throw new RangeError(`${where}: end ${period.end} is not after start ${period.start}`);
      return { start, end };
    });
    periods.sort((a, b) => a.start - b.start);
    for (let i = 1; i < periods.length; i++)
      if (periods[i].start < periods[i - 1].end)
        throw new RangeError(`weekday ${weekday}: working periods overlap`);
    week.push(periods);
  }
  if (week.every((periods) => periods.length === 0))
    throw new Error('a business calendar needs some working time');
  return week;
}

function ms(instant: Date, name: string): number {
  const value = instant instanceof Date ? instant.getTime() : NaN;
  if (!Number.isFinite(value)) throw new RangeError(`${name} is not a valid Date`);
  return value;
}

/**
 * Working time: a weekly schedule of wall-clock periods in one time zone, or
 * around the clock.
 *
 * Working periods are wall-clock times, turned into instants day by day, so a
 * DST change is handled where it happens: 09:00–17:00 is 8 real hours on
 * either side of it, a period across a spring-forward gap is an hour shorter
 * (01:00–04:00 on 2026-03-29 in Europe/Berlin: 2 h), one across a fall-back
 * overlap an hour longer; a boundary inside a gap is the end of the gap, one
 * inside an overlap its first occurrence (see `zonedWallTimeToUtc`).
 *
 * A null schedule (24/7) counts real elapsed time — as does a schedule of
 * 00:00–24:00 every day: a 23-hour spring-forward day counts 23 hours.
 */
export class BusinessCalendar {
  private readonly timeZone: string | null;
  /** Index 1..7 (ISO weekday) → periods; index 0 unused. Null: around the clock. */
  private readonly week: Period[][] | null;
  private readonly dayStarts = new Map<number, number>();
  private readonly dayIntervals = new Map<number, readonly Interval[]>();

  /** null schedule = 24/7 (every minute counts). */
  constructor(readonly schedule: WeeklySchedule | null) {
    this.timeZone = schedule?.timeZone ?? null;
    this.week = schedule === null ? null : compileWeek(schedule);
  }

  /** True when every minute counts (no schedule). */
  get alwaysOpen(): boolean {
    return this.week === null;
  }

  /**
   * The instant that is `minutes` working minutes after `from` (if `from` is
   * outside working time, counting starts at the next opening). It is the
   * earliest such instant: a budget that runs out at 17:00 is due 17:00, not
   * at the next opening; 0 minutes is `from` itself.
   */
  addWorkingMinutes(from: Date, minutes: number): Date {
    if (!Number.isFinite(minutes) || minutes < 0)
      throw new RangeError(`working minutes must be a finite number >= 0, got ${minutes}`);
    return this.addWorkingMs(from, Math.round(minutes * MINUTE_MS));
  }

  /** Like `addWorkingMinutes`, in working milliseconds. */
  addWorkingMs(from: Date, workingMs: number): Date {
    const start = ms(from, 'from');
    if (!Number.isFinite(workingMs) || workingMs < 0)
      throw new RangeError(`working ms must be a finite number >= 0, got ${workingMs}`);
    if (this.week === null || workingMs === 0) return new Date(start + workingMs);
    let remaining = workingMs;
    // Day by day, skipping closed days; the day before is included in case a
    // fall-back across midnight makes local dates go backwards.
    for (let day = this.localDay(start) - 1; ; day = this.nextOpenDay(day)) {
      for (const [open, close] of this.intervals(day)) {
        if (close <= start) continue;
        const begin = Math.max(open, start);
        if (remaining <= close - begin) return new Date(begin + remaining);
        remaining -= close - begin;
      }
    }
  }

  /** Working milliseconds between two instants (0 if to <= from). */
  workingMsBetween(from: Date, to: Date): number {
    const start = ms(from, 'from');
    const end = ms(to, 'to');
    if (end <= start) return 0;
    if (this.week === null) return end - start;
    let total = 0;
    const lastDay = this.localDay(end) + 1;
    for (let day = this.localDay(start) - 1; day <= lastDay; day = this.nextOpenDay(day)) {
      for (const [open, close] of this.intervals(day)) {
        const overlap = Math.min(close, end) - Math.max(open, start);
        if (overlap > 0) total += overlap;
      }
    }
    return total;
  }

  /** Is `at` in working time (periods are [start, end))? */
  isWorkingTime(at: Date): boolean {
    const instant = ms(at, 'at');
    if (this.week === null) return true;
    const day = this.localDay(instant);
    for (let d = day - 1; d <= day + 1; d++)
      for (const [open, close] of this.intervals(d))
        if (open <= instant && instant < close) return true;
    return false;
  }

  /** The local date of an instant, as days since 1970-01-01. */
  private localDay(instant: number): number {
    const p = utcToZonedParts(instant, this.zone());
    return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / DAY_MS);
  }

  private nextOpenDay(day: number): number {
    const week = this.week as Period[][];
    let next = day + 1;
    while (week[weekdayOfDayNumber(next)].length === 0) next++;
    return next;
  }

  private zone(): string {
    return this.timeZone as string;
  }

  /** The instant local `day` begins (its 00:00, or the end of a gap containing it). */
  private dayStart(day: number): number {
    let start = this.dayStarts.get(day);
    if (start === undefined) {
      if (this.dayStarts.size >= CACHE_LIMIT) this.dayStarts.clear();
      start = zonedWallTimeToUtc(wallDate(day), this.zone()).getTime();
      this.dayStarts.set(day, start);
    }
    return start;
  }

  /** The working intervals of local `day`, in order, none empty. */
  private intervals(day: number): readonly Interval[] {
    const periods = (this.week as Period[][])[weekdayOfDayNumber(day)];
    if (periods.length === 0) return NO_INTERVALS;
    let intervals = this.dayIntervals.get(day);
    if (intervals !== undefined) return intervals;
    const zone = this.zone();
    const start = this.dayStart(day);
    const next = this.dayStart(day + 1);
    // The usual day: 24 hours, one offset throughout, so wall minutes are
    // real minutes. Otherwise convert every boundary.
    const plain =
      next - start === DAY_MS && timeZoneOffsetMs(start, zone) === timeZoneOffsetMs(next - 1, zone);
    const date = wallDate(day);
    const instant = (minute: number): number =>
      plain
        ? start + minute * MINUTE_MS
        : minute === 1440
          ? next
          : zonedWallTimeToUtc({ ...date, minute }, zone).getTime();
    intervals = periods
      .map((period): Interval => [instant(period.start), instant(period.end)])
      .filter(([open, close]) => close > open);
    if (this.dayIntervals.size >= CACHE_LIMIT) this.dayIntervals.clear();
    this.dayIntervals.set(day, intervals);
    return intervals;
  }
}

function wallDate(day: number): { year: number; month: number; day: number } {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}
