import {
  BusinessCalendar,
  scheduleFromBusinessHours,
  type WeeklySchedule,
} from './business-calendar';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (instant: string) => new Date(instant);
const iso = (date: Date) => date.toISOString();

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const officeHours = (timeZone: string) =>
  new BusinessCalendar(
    scheduleFromBusinessHours(
      { weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
      timeZone,
    ),
  );
const everyDay = (timeZone: string, periods: WeeklySchedule['days'][1]): WeeklySchedule => ({
  timeZone,
  days: { 1: periods, 2: periods, 3: periods, 4: periods, 5: periods, 6: periods, 7: periods },
});

describe('scheduleFromBusinessHours', () => {
  it('turns the directory’s business hours into one period on each listed weekday', () => {
    expect(
      scheduleFromBusinessHours({ weekdays: [5, 1], start: '09:00', end: '17:30' }, BERLIN),
    ).toEqual({
      timeZone: BERLIN,
      days: { 1: [{ start: '09:00', end: '17:30' }], 5: [{ start: '09:00', end: '17:30' }] },
    });
  });

  it('keeps null (always open) as null', () => {
    expect(scheduleFromBusinessHours(null, BERLIN)).toBeNull();
  });

  it('rejects a weekday outside 1 … 7', () => {
    expect(() =>
      scheduleFromBusinessHours({ weekdays: [0], start: '09:00', end: '17:00' }, BERLIN),
    ).toThrow(RangeError);
  });
});

describe('BusinessCalendar construction', () => {
  it('needs some working time', () => {
    expect(() => new BusinessCalendar({ timeZone: BERLIN, days: {} })).toThrow(
      new Error('a business calendar needs some working time'),
    );
    expect(() => new BusinessCalendar({ timeZone: BERLIN, days: { 1: [] } })).toThrow(
      'a business calendar needs some working time',
    );
    expect(
      () =>
        new BusinessCalendar(
          scheduleFromBusinessHours({ weekdays: [], start: '09:00', end: '17:00' }, BERLIN),
        ),
    ).toThrow('a business calendar needs some working time');
  });

  it('rejects an unknown time zone, malformed or empty periods, and overlaps', () => {
    const day = (start: string, end: string) => ({
      timeZone: BERLIN,
      days: { 1: [{ start, end }] },
    });
    expect(
      () => new BusinessCalendar({ ...day('09:00', '17:00'), timeZone: 'Nowhere/Atlantis' }),
    ).toThrow(RangeError);
    expect(() => new BusinessCalendar(day('9am', '17:00'))).toThrow(/not a time HH:MM/);
    expect(() => new BusinessCalendar(day('24:00', '24:00'))).toThrow(/not a time HH:MM/);
    expect(() => new BusinessCalendar(day('17:00', '09:00'))).toThrow(/not after start/);
    expect(() => new BusinessCalendar(day('09:00', '09:00'))).toThrow(/not after start/);
    expect(
      () =>
        new BusinessCalendar({
          timeZone: BERLIN,
          days: {
            1: [
              { start: '09:00', end: '13:00' },
              { start: '12:00', end: '17:00' },
            ],
          },
        }),
    ).toThrow(/overlap/);
    expect(() => new BusinessCalendar(day('20:00', '24:00'))).not.toThrow();
  });
});

describe('BusinessCalendar, 24/7 (null schedule)', () => {
  const calendar = new BusinessCalendar(null);

  it('adds 90 minutes as 90 real minutes, at any hour', () => {
    expect(iso(calendar.addWorkingMinutes(at('2026-01-10T23:00:00Z'), 90))).toBe(
      '2026-01-11T00:30:00.000Z',
    );
    expect(iso(calendar.addWorkingMinutes(at('2026-01-10T23:00:00Z'), 0))).toBe(
      '2026-01-10T23:00:00.000Z',
    );
  });

  it('counts all elapsed time between two instants, and 0 backwards', () => {
    expect(calendar.workingMsBetween(at('2026-01-10T23:00:00Z'), at('2026-01-11T01:15:00Z'))).toBe(
      2.25 * HOUR,
    );
    expect(calendar.workingMsBetween(at('2026-01-11T01:15:00Z'), at('2026-01-10T23:00:00Z'))).toBe(
      0,
    );
    expect(calendar.isWorkingTime(at('2026-01-11T03:00:00Z'))).toBe(true);
  });

  it('rejects negative minutes and invalid dates', () => {
    expect(() => calendar.addWorkingMinutes(at('2026-01-10T23:00:00Z'), -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingMinutes(new Date(NaN), 1)).toThrow(RangeError);
  });
});

describe('BusinessCalendar, Mon–Fri 09:00–17:00 Europe/Berlin', () => {
  const calendar = officeHours(BERLIN);

  it('carries a ticket of Friday 16:00 with 120 working minutes over to Monday 10:00', () => {
    // Friday 2026-01-09 16:00 CET = 15:00 UTC; Monday 2026-01-12 10:00 CET = 09:00 UTC.
    expect(iso(calendar.addWorkingMinutes(at('2026-01-09T15:00:00Z'), 120))).toBe(
      '2026-01-12T09:00:00.000Z',
    );
    expect(calendar.workingMsBetween(at('2026-01-09T15:00:00Z'), at('2026-01-12T09:00:00Z'))).toBe(
      2 * HOUR,
    );
  });

  it('starts counting a ticket created on Saturday at Monday 09:00', () => {
    expect(iso(calendar.addWorkingMinutes(at('2026-01-10T10:00:00Z'), 60))).toBe(
      '2026-01-12T09:00:00.000Z',
    );
    expect(calendar.workingMsBetween(at('2026-01-10T10:00:00Z'), at('2026-01-12T08:00:00Z'))).toBe(
      0,
    );
  });

  it('starts counting a ticket created at 08:00 at 09:00', () => {
    // Tuesday 2026-01-13 08:00 CET = 07:00 UTC.
    expect(iso(calendar.addWorkingMinutes(at('2026-01-13T07:00:00Z'), 30))).toBe(
      '2026-01-13T08:30:00.000Z',
    );
  });

  it('is due at the closing time itself when the budget runs out exactly then', () => {
    expect(iso(calendar.addWorkingMinutes(at('2026-01-09T15:00:00Z'), 60))).toBe(
      '2026-01-09T16:00:00.000Z',
    );
  });

  it('counts 8 hours a working day and 40 a week', () => {
    expect(calendar.workingMsBetween(at('2026-01-12T00:00:00Z'), at('2026-01-13T00:00:00Z'))).toBe(
      8 * HOUR,
    );
    expect(calendar.workingMsBetween(at('2026-01-10T00:00:00Z'), at('2026-01-17T00:00:00Z'))).toBe(
      40 * HOUR,
    );
  });

  it('knows working time from closed time', () => {
    expect(calendar.isWorkingTime(at('2026-01-12T08:00:00Z'))).toBe(true);
    expect(calendar.isWorkingTime(at('2026-01-12T07:59:59Z'))).toBe(false);
    expect(calendar.isWorkingTime(at('2026-01-12T16:00:00Z'))).toBe(false);
    expect(calendar.isWorkingTime(at('2026-01-10T12:00:00Z'))).toBe(false);
  });
});

describe('BusinessCalendar, several periods a day', () => {
  const lunchBreak = [
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '17:00' },
  ];
  const calendar = new BusinessCalendar({
    timeZone: BERLIN,
    days: { 1: lunchBreak, 2: lunchBreak, 3: lunchBreak, 4: lunchBreak, 5: lunchBreak },
  });

  it('does not count the lunch break', () => {
    // Monday 2026-01-12 11:00 CET + 2 working hours = 12:00, break, 13:00 + 1 h = 14:00 CET.
    expect(iso(calendar.addWorkingMinutes(at('2026-01-12T10:00:00Z'), 120))).toBe(
      '2026-01-12T13:00:00.000Z',
    );
    expect(calendar.workingMsBetween(at('2026-01-12T00:00:00Z'), at('2026-01-13T00:00:00Z'))).toBe(
      7 * HOUR,
    );
    // Created during lunch: counting starts at 13:00.
    expect(iso(calendar.addWorkingMinutes(at('2026-01-12T11:30:00Z'), 30))).toBe(
      '2026-01-12T12:30:00.000Z',
    );
  });

  it('accepts periods in any order', () => {
    const reversed = new BusinessCalendar({
      timeZone: BERLIN,
      days: { 1: [...lunchBreak].reverse() },
    });
    expect(reversed.workingMsBetween(at('2026-01-12T00:00:00Z'), at('2026-01-13T00:00:00Z'))).toBe(
      7 * HOUR,
    );
  });

  it('runs on across midnight with 24:00 and 00:00', () => {
    const night = new BusinessCalendar({
      timeZone: BERLIN,
      days: { 1: [{ start: '20:00', end: '24:00' }], 2: [{ start: '00:00', end: '04:00' }] },
    });
    // Monday 23:00 CET + 2 h = Tuesday 01:00 CET.
    expect(iso(night.addWorkingMinutes(at('2026-01-12T22:00:00Z'), 120))).toBe(
      '2026-01-13T00:00:00.000Z',
    );
    expect(night.workingMsBetween(at('2026-01-12T00:00:00Z'), at('2026-01-14T00:00:00Z'))).toBe(
      8 * HOUR,
    );
  });
});

describe('BusinessCalendar across DST changes', () => {
  describe('a null schedule counts real elapsed time — as does 00:00–24:00 every day', () => {
    const calendars = {
      'null schedule': new BusinessCalendar(null),
      '00:00–24:00 daily': new BusinessCalendar(
        everyDay(BERLIN, [{ start: '00:00', end: '24:00' }]),
      ),
    };

    it.each(Object.entries(calendars))('%s: the spring-forward day has 23 hours', (_, calendar) => {
      // Saturday 2026-03-28 12:00 CET → Sunday 2026-03-29 12:00 CEST.
      expect(
        calendar.workingMsBetween(at('2026-03-28T11:00:00Z'), at('2026-03-29T10:00:00Z')),
      ).toBe(23 * HOUR);
      // 24 working hours after Saturday 12:00 CET is Sunday 13:00 CEST.
      expect(iso(calendar.addWorkingMinutes(at('2026-03-28T11:00:00Z'), 24 * 60))).toBe(
        '2026-03-29T11:00:00.000Z',
      );
    });

    it.each(Object.entries(calendars))('%s: the fall-back day has 25 hours', (_, calendar) => {
      // Saturday 2026-10-24 12:00 CEST → Sunday 2026-10-25 12:00 CET.
      expect(
        calendar.workingMsBetween(at('2026-10-24T10:00:00Z'), at('2026-10-25T11:00:00Z')),
      ).toBe(25 * HOUR);
      expect(iso(calendar.addWorkingMinutes(at('2026-10-24T10:00:00Z'), 24 * 60))).toBe(
        '2026-10-25T10:00:00.000Z',
      );
    });
  });

  describe('Europe/Berlin office hours, 09:00–17:00 local', () => {
    const calendar = officeHours(BERLIN);

    it('are 08:00–16:00 UTC before spring forward and 07:00–15:00 UTC on the Monday after', () => {
      // Friday 2026-03-27 16:00 CET (15:00 UTC) + 120 min → Monday 2026-03-30 10:00 CEST (08:00 UTC).
      expect(iso(calendar.addWorkingMinutes(at('2026-03-27T15:00:00Z'), 120))).toBe(
        '2026-03-30T08:00:00.000Z',
      );
      expect(calendar.isWorkingTime(at('2026-03-30T07:00:00Z'))).toBe(true);
      expect(calendar.isWorkingTime(at('2026-03-30T06:59:59Z'))).toBe(false);
      expect(calendar.isWorkingTime(at('2026-03-30T15:00:00Z'))).toBe(false);
      expect(
        calendar.workingMsBetween(at('2026-03-30T00:00:00Z'), at('2026-03-31T00:00:00Z')),
      ).toBe(8 * HOUR);
    });

    it('are 09:00–17:00 CET again on the Monday after fall back', () => {
      // Friday 2026-10-23 16:00 CEST (14:00 UTC) + 120 min → Monday 2026-10-26 10:00 CET (09:00 UTC).
      expect(iso(calendar.addWorkingMinutes(at('2026-10-23T14:00:00Z'), 120))).toBe(
        '2026-10-26T09:00:00.000Z',
      );
    });
  });

  describe('a period around the transition', () => {
    const sundayNight = (start: string, end: string) =>
      new BusinessCalendar({ timeZone: BERLIN, days: { 7: [{ start, end }] } });
    const sunday = (calendar: BusinessCalendar, date: string) =>
      calendar.workingMsBetween(at(`${date}T00:00:00+01:00`), at(`${date}T23:00:00Z`));

    it('01:00–04:00 counts 3 hours on an ordinary Sunday, 2 across the gap, 4 across the overlap', () => {
      const calendar = sundayNight('01:00', '04:00');
      expect(sunday(calendar, '2026-03-22')).toBe(3 * HOUR);
      expect(sunday(calendar, '2026-03-29')).toBe(2 * HOUR);
      expect(sunday(calendar, '2026-10-25')).toBe(4 * HOUR);
      // 01:00 CET = 00:00 UTC; 90 working minutes later, with the clock jumping from 02:00 to 03:00,
      // is 01:30 UTC (03:30 CEST).
      expect(iso(calendar.addWorkingMinutes(at('2026-03-29T00:00:00Z'), 90))).toBe(
        '2026-03-29T01:30:00.000Z',
      );
    });

    it('a boundary inside the gap is the end of the gap; inside the overlap, its first occurrence', () => {
      const calendar = sundayNight('02:30', '05:00');
      // 03:00 CEST (01:00 UTC) → 05:00 CEST (03:00 UTC).
      expect(sunday(calendar, '2026-03-29')).toBe(2 * HOUR);
      expect(iso(calendar.addWorkingMinutes(at('2026-03-28T12:00:00Z'), 1))).toBe(
        '2026-03-29T01:01:00.000Z',
      );
      // 02:30 CEST (00:30 UTC) → 05:00 CET (04:00 UTC).
      expect(sunday(calendar, '2026-10-25')).toBe(3.5 * HOUR);
    });
  });

  describe('America/New_York (spring forward 2026-03-08)', () => {
    it('office hours are 14:00–22:00 UTC before and 13:00–21:00 UTC after', () => {
      const calendar = officeHours(NEW_YORK);
      // Friday 2026-03-06 16:00 EST (21:00 UTC) + 120 min → Monday 2026-03-09 10:00 EDT (14:00 UTC).
      expect(iso(calendar.addWorkingMinutes(at('2026-03-06T21:00:00Z'), 120))).toBe(
        '2026-03-09T14:00:00.000Z',
      );
      expect(calendar.isWorkingTime(at('2026-03-09T13:00:00Z'))).toBe(true);
      expect(calendar.isWorkingTime(at('2026-03-09T12:59:59Z'))).toBe(false);
    });

    it('a period 01:00–04:00 on that Sunday counts 2 hours', () => {
      const calendar = new BusinessCalendar({
        timeZone: NEW_YORK,
        days: { 7: [{ start: '01:00', end: '04:00' }] },
      });
      expect(
        calendar.workingMsBetween(at('2026-03-08T05:00:00Z'), at('2026-03-09T05:00:00Z')),
      ).toBe(2 * HOUR);
      expect(
        calendar.workingMsBetween(at('2026-03-01T05:00:00Z'), at('2026-03-02T05:00:00Z')),
      ).toBe(3 * HOUR);
    });
  });
});

describe('BusinessCalendar with large budgets', () => {
  it('adds 30 days’ worth of working minutes on Mon–Fri 09:00–17:00 fast and right', () => {
    const calendar = officeHours(BERLIN);
    const from = at('2026-01-05T08:00:00Z'); // Monday 09:00 CET
    const began = performance.now();
    const due = calendar.addWorkingMinutes(from, 30 * 24 * 60);
    expect(performance.now() - began).toBeLessThan(200);
    // 43 200 min = 90 working days of 8 h = 18 weeks: Friday 2026-05-08 17:00 CEST.
    expect(iso(due)).toBe('2026-05-08T15:00:00.000Z');
    expect(calendar.workingMsBetween(from, due)).toBe(30 * 24 * HOUR);
  });

  it('skips closed days on a sparse schedule: one hour on Mondays, 720 of them', () => {
    const calendar = new BusinessCalendar({
      timeZone: BERLIN,
      days: { 1: [{ start: '09:00', end: '10:00' }] },
    });
    const began = performance.now();
    const due = calendar.addWorkingMinutes(at('2026-01-05T08:00:00Z'), 720 * 60);
    expect(performance.now() - began).toBeLessThan(1000);
    // The 720th Monday from 2026-01-05 is 2039-10-17 (CEST): 10:00 local = 08:00 UTC.
    expect(iso(due)).toBe('2039-10-17T08:00:00.000Z');
  });
});
