export {
  BusinessCalendar,
  scheduleFromBusinessHours,
  type WeeklySchedule,
  type WorkingPeriod,
} from './business-calendar';
export {
  consumedMsAt,
  dueAt,
  isBreached,
  pauseClock,
  rebudgetClock,
  remainingMsAt,
  resumeClock,
  startClock,
  type SlaClockState,
} from './sla-clock';
export {
  timeZoneOffsetMs,
  utcToZonedParts,
  zonedWallTimeToUtc,
  type IsoWeekday,
  type WallTime,
  type ZonedParts,
} from './time-zone';
