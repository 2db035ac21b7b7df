import type { BusinessCalendar } from './business-calendar';
import { MINUTE_MS } from './time-zone';

/**
 * The SLA clock of one target (first response or resolution) of one ticket:
 * it runs while the ticket is not paused (status `pending` pauses it) and only
 * in working time of the calendar; its due instant moves later by every pause.
 *
 * States are immutable values: every function returns a new state (or the
 * same one when nothing changes).
 */
export interface SlaClockState {
  /** Working minutes allowed by the policy for this target, or null: no target. */
  budgetMinutes: number | null;
  /** When the clock started (ticket creation). */
  startedAt: Date;
  /** Working ms already consumed before the current running stretch (sum of completed running stretches). */
  consumedMs: number;
  /** Start of the current running stretch, or null while paused. */
  runningSince: Date | null;
}

function checkBudget(budgetMinutes: number | null): void {
  if (budgetMinutes !== null && !(Number.isInteger(budgetMinutes) && budgetMinutes >= 0))
    throw new RangeError(`an SLA budget is a whole number of minutes >= 0, got ${budgetMinutes}`);
}

function checkInstant(at: Date, name = 'at'): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime()))
    throw new RangeError(`${name} is not a valid Date`);
}

/** A running clock with nothing consumed, started `at`. */
export function startClock(budgetMinutes: number | null, at: Date): SlaClockState {
  checkBudget(budgetMinutes);
  checkInstant(at);
  return { budgetMinutes, startedAt: new Date(at), consumedMs: 0, runningSince: new Date(at) };
}

/** Stops the clock `at`, adding the working time of the stretch that ends; no-op if already paused. */
export function pauseClock(
  state: SlaClockState,
  at: Date,
  calendar: BusinessCalendar,
): SlaClockState {
  if (state.runningSince === null) return state;
  checkInstant(at);
  return {
    ...state,
    consumedMs: state.consumedMs + calendar.workingMsBetween(state.runningSince, at),
    runningSince: null,
  };
}

/** Starts a new running stretch `at`; no-op if running. */
export function resumeClock(state: SlaClockState, at: Date): SlaClockState {
  if (state.runningSince !== null) return state;
  checkInstant(at);
  return { ...state, runningSince: new Date(at) };
}

/** Change the budget (priority changed): keeps what was consumed. */
export function rebudgetClock(state: SlaClockState, budgetMinutes: number | null): SlaClockState {
  checkBudget(budgetMinutes);
  return budgetMinutes === state.budgetMinutes ? state : { ...state, budgetMinutes };
}

/** Working ms consumed up to `now`: the completed stretches plus the running one so far. */
export function consumedMsAt(state: SlaClockState, now: Date, calendar: BusinessCalendar): number {
  checkInstant(now, 'now');
  return (
    state.consumedMs +
    (state.runningSince === null ? 0 : calendar.workingMsBetween(state.runningSince, now))
  );
}

/**
 * Working ms left at `now` (negative once over budget), or null without a
 * target. Defined while paused too: what a UI can show instead of a due time.
 */
export function remainingMsAt(
  state: SlaClockState,
  now: Date,
  calendar: BusinessCalendar,
): number | null {
  if (state.budgetMinutes === null) return null;
  return state.budgetMinutes * MINUTE_MS - consumedMsAt(state, now, calendar);
}

/**
 * The due instant: the earliest instant at which the running clock has used
 * its whole budget — runningSince + the remaining working time (so a budget
 * running out at 17:00 is due 17:00, not at the next opening).
 * - Paused: null. It is not due while paused; the due instant is only known
 *   once the clock resumes (callers keep the last one they showed, or null).
 * - No budget: null.
 * - Budget already used up before the current stretch: runningSince (it is
 *   overdue from the moment it resumed; the exact instant it ran out lies in
 *   an earlier stretch and is not kept in the state).
 * Consistent with `isBreached`: a running clock is breached at `now` exactly
 * when `now >= dueAt(...)`.
 */
export function dueAt(state: SlaClockState, calendar: BusinessCalendar): Date | null {
  if (state.budgetMinutes === null || state.runningSince === null) return null;
  const remaining = state.budgetMinutes * MINUTE_MS - state.consumedMs;
  if (remaining <= 0) return new Date(state.runningSince);
  return calendar.addWorkingMs(state.runningSince, remaining);
}

/**
 * Has it breached at `now`? True once the working time consumed so far has
 * reached the budget (consumed >= budget): false just before the due instant,
 * true from it on — in the closed time after a due at 17:00 as well, and it
 * stays true through a pause. No budget: never.
 */
export function isBreached(state: SlaClockState, now: Date, calendar: BusinessCalendar): boolean {
  if (state.budgetMinutes === null) return false;
  return consumedMsAt(state, now, calendar) >= state.budgetMinutes * MINUTE_MS;
}
