import { timeZoneOffsetMs, utcToZonedParts, zonedWallTimeToUtc } from './time-zone';

const HOUR = 3_600_000;
const iso = (date: Date) => date.toISOString();

describe('utcToZonedParts', () => {
  it('gives the wall time and ISO weekday an instant shows in a zone', () => {
    expect(utcToZonedParts(new Date('2026-01-12T08:30:15.250Z'), 'Europe/Berlin')).toEqual({
      year: 2026,
      month: 1,
      day: 12,
      hour: 9,
      minute: 30,
      second: 15,
      millisecond: 250,
      weekday: 1,
    });
    expect(utcToZonedParts(new Date('2026-01-11T23:30:00Z'), 'Europe/Berlin')).toMatchObject({
      day: 12,
      hour: 0,
      weekday: 1,
    });
    expect(utcToZonedParts(new Date('2026-01-12T03:00:00Z'), 'America/New_York')).toMatchObject({
      day: 11,
      hour: 22,
      weekday: 7,
    });
  });

  it('jumps from 01:59:59 to 03:00 at the Berlin spring-forward transition', () => {
    expect(utcToZonedParts(new Date('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toMatchObject({
      hour: 1,
      minute: 59,
      second: 59,
    });
    expect(utcToZonedParts(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toMatchObject({
      hour: 3,
      minute: 0,
    });
  });

  it('rejects an unknown time zone and an invalid instant', () => {
    expect(() => utcToZonedParts(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => utcToZonedParts(new Date(NaN), 'UTC')).toThrow(RangeError);
  });
});

describe('timeZoneOffsetMs', () => {
  it('is +1 h in Berlin winter, +2 h in summer, −5 h / −4 h in New York', () => {
    expect(timeZoneOffsetMs(new Date('2026-01-12T12:00:00Z'), 'Europe/Berlin')).toBe(HOUR);
    expect(timeZoneOffsetMs(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(2 * HOUR);
    expect(timeZoneOffsetMs(new Date('2026-01-12T12:00:00Z'), 'America/New_York')).toBe(-5 * HOUR);
    expect(timeZoneOffsetMs(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe(-4 * HOUR);
    expect(timeZoneOffsetMs(new Date('2026-07-01T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
  });
});

describe('zonedWallTimeToUtc', () => {
  it('converts an ordinary wall time', () => {
    expect(
      iso(zonedWallTimeToUtc({ year: 2026, month: 1, day: 12, hour: 9 }, 'Europe/Berlin')),
    ).toBe('2026-01-12T08:00:00.000Z');
    expect(
      iso(
        zonedWallTimeToUtc({ year: 2026, month: 7, day: 1, hour: 9, minute: 15 }, 'Europe/Berlin'),
      ),
    ).toBe('2026-07-01T07:15:00.000Z');
    expect(
      iso(
        zonedWallTimeToUtc(
          { year: 2026, month: 7, day: 1, hour: 9, second: 5, millisecond: 7 },
          'America/New_York',
        ),
      ),
    ).toBe('2026-07-01T13:00:05.007Z');
  });

  it('lets fields overflow: hour 24 is the next day 00:00', () => {
    expect(
      iso(zonedWallTimeToUtc({ year: 2026, month: 1, day: 12, hour: 24 }, 'Europe/Berlin')),
    ).toBe('2026-01-12T23:00:00.000Z');
  });

  it('maps a wall time in a spring-forward gap to the first instant after it (03:00)', () => {
    // Europe/Berlin, 2026-03-29: 02:00 CET → 03:00 CEST at 01:00 UTC.
    for (const minute of [0, 30, 59])
      expect(
        iso(
          zonedWallTimeToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute }, 'Europe/Berlin'),
        ),
      ).toBe('2026-03-29T01:00:00.000Z');
    expect(
      iso(zonedWallTimeToUtc({ year: 2026, month: 3, day: 29, hour: 3 }, 'Europe/Berlin')),
    ).toBe('2026-03-29T01:00:00.000Z');
    expect(
      iso(
        zonedWallTimeToUtc({ year: 2026, month: 3, day: 29, hour: 1, minute: 59 }, 'Europe/Berlin'),
      ),
    ).toBe('2026-03-29T00:59:00.000Z');
    // America/New_York, 2026-03-08: 02:00 EST → 03:00 EDT at 07:00 UTC.
    expect(
      iso(
        zonedWallTimeToUtc(
          { year: 2026, month: 3, day: 8, hour: 2, minute: 30 },
          'America/New_York',
        ),
      ),
    ).toBe('2026-03-08T07:00:00.000Z');
  });

  it('maps a wall time in a fall-back overlap to the earlier instant', () => {
    // Europe/Berlin, 2026-10-25: 03:00 CEST → 02:00 CET at 01:00 UTC; 02:30 happens twice.
    expect(
      iso(
        zonedWallTimeToUtc(
          { year: 2026, month: 10, day: 25, hour: 2, minute: 30 },
          'Europe/Berlin',
        ),
      ),
    ).toBe('2026-10-25T00:30:00.000Z');
    expect(
      iso(zonedWallTimeToUtc({ year: 2026, month: 10, day: 25, hour: 3 }, 'Europe/Berlin')),
    ).toBe('2026-10-25T02:00:00.000Z');
    // America/New_York, 2026-11-01: 01:30 happens twice (EDT, then EST).
    expect(
      iso(
        zonedWallTimeToUtc(
          { year: 2026, month: 11, day: 1, hour: 1, minute: 30 },
          'America/New_York',
        ),
      ),
    ).toBe('2026-11-01T05:30:00.000Z');
  });

  it('round-trips every quarter hour around the transitions', () => {
    for (const [zone, from] of [
      ['Europe/Berlin', '2026-03-28T12:00:00Z'],
      ['Europe/Berlin', '2026-10-24T12:00:00Z'],
      ['America/New_York', '2026-03-07T12:00:00Z'],
      ['America/New_York', '2026-10-31T12:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T00:00:00Z'],
    ] as const) {
      for (let t = Date.parse(from); t < Date.parse(from) + 48 * HOUR; t += HOUR / 4) {
        const p = utcToZonedParts(new Date(t), zone);
        const back = zonedWallTimeToUtc(p, zone).getTime();
        // Unique wall times come back exactly; repeated ones (the overlap) come back as the earlier.
        expect(
          back === t || (back < t && utcToZonedParts(new Date(back), zone).hour === p.hour),
        ).toBe(true);
      }
    }
  });
});
