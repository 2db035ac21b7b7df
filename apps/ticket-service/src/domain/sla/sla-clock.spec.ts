import { BusinessCalendar, scheduleFromBusinessHours } from './business-calendar';
import {
  consumedMsAt,
  dueAt,
  isBreached,
  pauseClock,
  rebudgetClock,
  remainingMsAt,
  resumeClock,
  startClock,
} from './sla-clock';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (instant: string) => new Date(instant);
const later = (date: Date, ms: number) => new Date(date.getTime() + ms);
const iso = (date: Date | null) => date?.toISOString() ?? null;

const aroundTheClock = new BusinessCalendar(null);
const officeHours = new BusinessCalendar(
  scheduleFromBusinessHours(
    { weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
    'Europe/Berlin',
  ),
);

describe('startClock', () => {
  it('runs from the start with nothing consumed', () => {
    const created = at('2026-01-12T08:00:00Z');
    expect(startClock(240, created)).toEqual({
      budgetMinutes: 240,
      startedAt: created,
      consumedMs: 0,
      runningSince: created,
    });
  });

  it('takes whole minutes >= 0 or null', () => {
    expect(() => startClock(1.5, at('2026-01-12T08:00:00Z'))).toThrow(RangeError);
    expect(() => startClock(-1, at('2026-01-12T08:00:00Z'))).toThrow(RangeError);
    expect(() => startClock(60, new Date(NaN))).toThrow(RangeError);
  });

  it('without a target is never due and never breached', () => {
    const clock = startClock(null, at('2026-01-12T08:00:00Z'));
    expect(dueAt(clock, aroundTheClock)).toBeNull();
    expect(isBreached(clock, at('2030-01-01T00:00:00Z'), aroundTheClock)).toBe(false);
    expect(remainingMsAt(clock, at('2030-01-01T00:00:00Z'), aroundTheClock)).toBeNull();
  });
});

describe('dueAt', () => {
  it('is the start plus the budget around the clock', () => {
    expect(iso(dueAt(startClock(90, at('2026-01-12T08:00:00Z')), aroundTheClock))).toBe(
      '2026-01-12T09:30:00.000Z',
    );
  });

  it('counts only business hours: Friday 16:00 + 120 min is Monday 10:00', () => {
    expect(iso(dueAt(startClock(120, at('2026-01-09T15:00:00Z')), officeHours))).toBe(
      '2026-01-12T09:00:00.000Z',
    );
  });

  it('is null while paused', () => {
    const paused = pauseClock(
      startClock(240, at('2026-01-12T08:00:00Z')),
      at('2026-01-12T08:30:00Z'),
      aroundTheClock,
    );
    expect(dueAt(paused, aroundTheClock)).toBeNull();
    expect(remainingMsAt(paused, at('2026-01-12T12:00:00Z'), aroundTheClock)).toBe(210 * MINUTE);
  });
});

describe('pauses (pending)', () => {
  it('around the clock: running 30 min, paused 2 h, resumed — due 2 h later', () => {
    const created = at('2026-01-12T08:00:00Z');
    const running = startClock(240, created);
    expect(iso(dueAt(running, aroundTheClock))).toBe('2026-01-12T12:00:00.000Z');

    const paused = pauseClock(running, later(created, 30 * MINUTE), aroundTheClock);
    expect(paused.consumedMs).toBe(30 * MINUTE);
    expect(paused.runningSince).toBeNull();

    const resumed = resumeClock(paused, later(created, 150 * MINUTE));
    expect(iso(dueAt(resumed, aroundTheClock))).toBe('2026-01-12T14:00:00.000Z');
  });

  it('in business hours: due moves by the working time lost, not by the hours paused', () => {
    // Monday 2026-01-12 09:00 CET, one working day of budget: due Monday 17:00 CET.
    const running = startClock(480, at('2026-01-12T08:00:00Z'));
    expect(iso(dueAt(running, officeHours))).toBe('2026-01-12T16:00:00.000Z');
    // Pending from Monday 16:30 to Tuesday 09:30 CET: 17 h paused, 1 working hour lost.
    const paused = pauseClock(running, at('2026-01-12T15:30:00Z'), officeHours);
    expect(paused.consumedMs).toBe(7.5 * HOUR);
    const resumed = resumeClock(paused, at('2026-01-13T08:30:00Z'));
    expect(iso(dueAt(resumed, officeHours))).toBe('2026-01-13T09:00:00.000Z'); // Tuesday 10:00 CET
  });

  it('in business hours: a pause across the weekend', () => {
    // Friday 2026-01-09 09:00 CET, one working day: due Friday 17:00. Pending Friday 15:00 → Monday 11:00.
    const running = startClock(480, at('2026-01-09T08:00:00Z'));
    const paused = pauseClock(running, at('2026-01-09T14:00:00Z'), officeHours);
    expect(paused.consumedMs).toBe(6 * HOUR);
    const resumed = resumeClock(paused, at('2026-01-12T10:00:00Z'));
    expect(iso(dueAt(resumed, officeHours))).toBe('2026-01-12T12:00:00.000Z'); // Monday 13:00 CET
  });

  it('around the clock: a pause across the weekend moves due by the whole pause', () => {
    const running = startClock(24 * 60, at('2026-01-09T12:00:00Z'));
    const paused = pauseClock(running, at('2026-01-09T18:00:00Z'), aroundTheClock);
    const resumed = resumeClock(paused, at('2026-01-12T06:00:00Z'));
    expect(iso(dueAt(resumed, aroundTheClock))).toBe('2026-01-13T00:00:00.000Z');
  });

  it('pausing a paused clock and resuming a running one change nothing', () => {
    const running = startClock(60, at('2026-01-12T08:00:00Z'));
    expect(resumeClock(running, at('2026-01-12T09:00:00Z'))).toBe(running);
    const paused = pauseClock(running, at('2026-01-12T08:10:00Z'), aroundTheClock);
    expect(pauseClock(paused, at('2026-01-12T09:00:00Z'), aroundTheClock)).toBe(paused);
  });

  it('sums every running stretch', () => {
    let clock = startClock(60, at('2026-01-12T08:00:00Z'));
    clock = pauseClock(clock, at('2026-01-12T08:10:00Z'), aroundTheClock);
    clock = resumeClock(clock, at('2026-01-12T09:00:00Z'));
    clock = pauseClock(clock, at('2026-01-12T09:20:00Z'), aroundTheClock);
    clock = resumeClock(clock, at('2026-01-12T10:00:00Z'));
    expect(clock.consumedMs).toBe(30 * MINUTE);
    expect(consumedMsAt(clock, at('2026-01-12T10:05:00Z'), aroundTheClock)).toBe(35 * MINUTE);
    expect(iso(dueAt(clock, aroundTheClock))).toBe('2026-01-12T10:30:00.000Z');
  });
});

describe('rebudgetClock (priority changed)', () => {
  it('keeps what was consumed while running', () => {
    const created = at('2026-01-12T08:00:00Z');
    const running = startClock(480, created);
    const urgent = rebudgetClock(running, 120);
    expect(urgent.consumedMs).toBe(0);
    expect(urgent.runningSince).toEqual(created);
    expect(iso(dueAt(urgent, aroundTheClock))).toBe('2026-01-12T10:00:00.000Z');
  });

  it('keeps what was consumed while paused', () => {
    const created = at('2026-01-12T08:00:00Z');
    const paused = pauseClock(startClock(480, created), later(created, HOUR), aroundTheClock);
    const urgent = rebudgetClock(paused, 120);
    expect(urgent.consumedMs).toBe(HOUR);
    expect(dueAt(urgent, aroundTheClock)).toBeNull();
    expect(iso(dueAt(resumeClock(urgent, later(created, 3 * HOUR)), aroundTheClock))).toBe(
      '2026-01-12T12:00:00.000Z',
    );
  });

  it('to a budget already used up: due from the moment it runs, breached at once', () => {
    const created = at('2026-01-12T08:00:00Z');
    const paused = pauseClock(startClock(480, created), later(created, 2 * HOUR), aroundTheClock);
    const resumed = resumeClock(rebudgetClock(paused, 60), later(created, 5 * HOUR));
    expect(iso(dueAt(resumed, aroundTheClock))).toBe('2026-01-12T13:00:00.000Z');
    expect(isBreached(resumed, later(created, 5 * HOUR), aroundTheClock)).toBe(true);
    expect(isBreached(rebudgetClock(paused, 60), later(created, 5 * HOUR), aroundTheClock)).toBe(
      true,
    );
  });

  it('to no target: not due, not breached', () => {
    const clock = rebudgetClock(startClock(60, at('2026-01-12T08:00:00Z')), null);
    expect(dueAt(clock, aroundTheClock)).toBeNull();
    expect(isBreached(clock, at('2026-02-01T00:00:00Z'), aroundTheClock)).toBe(false);
  });
});

describe('isBreached', () => {
  it('is false just before the budget is used up and true just after (and at the due instant)', () => {
    const clock = startClock(60, at('2026-01-12T08:00:00Z'));
    const due = dueAt(clock, aroundTheClock) as Date;
    expect(isBreached(clock, later(due, -1), aroundTheClock)).toBe(false);
    expect(isBreached(clock, due, aroundTheClock)).toBe(true);
    expect(isBreached(clock, later(due, 1), aroundTheClock)).toBe(true);
  });

  it('respects pauses', () => {
    const created = at('2026-01-12T08:00:00Z');
    const paused = pauseClock(startClock(60, created), later(created, 30 * MINUTE), aroundTheClock);
    expect(isBreached(paused, later(created, 10 * HOUR), aroundTheClock)).toBe(false);
    const resumed = resumeClock(paused, later(created, 2 * HOUR));
    expect(isBreached(resumed, later(created, 2.5 * HOUR - 1), aroundTheClock)).toBe(false);
    expect(isBreached(resumed, later(created, 2.5 * HOUR + 1), aroundTheClock)).toBe(true);
  });

  it('counts only business hours: not breached over the weekend before the due instant', () => {
    const clock = startClock(120, at('2026-01-09T15:00:00Z')); // Friday 16:00 CET, due Monday 10:00
    expect(isBreached(clock, at('2026-01-11T12:00:00Z'), officeHours)).toBe(false);
    expect(isBreached(clock, at('2026-01-12T08:59:59Z'), officeHours)).toBe(false);
    expect(isBreached(clock, at('2026-01-12T09:00:01Z'), officeHours)).toBe(true);
  });

  it('agrees with dueAt when the budget runs out at closing time, and stays breached through a pause', () => {
    const clock = startClock(60, at('2026-01-09T15:00:00Z')); // Friday 16:00 CET, due Friday 17:00
    expect(iso(dueAt(clock, officeHours))).toBe('2026-01-09T16:00:00.000Z');
    expect(isBreached(clock, at('2026-01-10T12:00:00Z'), officeHours)).toBe(true);
    const paused = pauseClock(clock, at('2026-01-10T12:00:00Z'), officeHours);
    expect(isBreached(paused, at('2026-01-11T12:00:00Z'), officeHours)).toBe(true);
  });
});
