/**
 * Re-planning after a correction: when the office enters version 2 (or later) of a year's arrangement,
 * the running deadlines in that year are re-planned again the same way as for the first version (the
 * same start, the same working days, never earlier than announced). What a correction adds: a deadline
 * may have been set by the calendar in force when it was planned (no arrangement, the package's, or an
 * earlier version) or by a re-plan to an earlier version since, so each of those calendars is a candidate
 * (domain/replan.ts PlannedWith); and a case that a newer version has already reached is left alone.
 * Pure: the stored versions and the case's applied re-plans are parameters.
 */
import type { WorkingCalendar } from './calendar';
import type { YearArrangement } from './holiday-arrangement';
import type { PlannedWith } from './replan';

/** A stored version of the year's arrangement, with when it was stored. */
export interface StoredVersion {
  year: YearArrangement;
  enteredAt: string;
}

export interface CorrectionBasis {
  /** A newer version of the year has been applied to this case: this one changes nothing. */
  superseded: boolean;
  plannedWith: PlannedWith;
}

/** The versions of `year` among a case's applied re-plan keys (`2027:v1`…). */
export function appliedVersions(year: number, replans: readonly string[]): number[] {
  return replans.flatMap((k) => {
    const m = /^(\d{4}):v(\d+)$/.exec(k);
    return m && Number(m[1]) === year ? [Number(m[2])] : [];
  });
}

/**
 * `current` is the calendar in force now (any year but `year` as it is); `versions` every stored version
 * of `year`; `replans` the case's applied re-plan keys, `target`'s own excluded or not.
 */
export function correctionBasis(
  year: number,
  target: number,
  versions: readonly StoredVersion[],
  replans: readonly string[],
  current: WorkingCalendar,
): CorrectionBasis {
  const applied = appliedVersions(year, replans).filter((v) => v !== target);
  const earlier = [...versions].filter((v) => v.year.version < target).sort((a, b) => a.year.version - b.year.version);
  const calendarOf = (version: number | undefined) => {
    const v = earlier.find((x) => x.year.version === version);
    return v ? current.withYear(v.year) : current.without(year);
  };
  return {
    superseded: applied.some((v) => v > target),
    plannedWith: (plannedAt) => {
      const inForce = earlier.filter((v) => v.enteredAt <= plannedAt).pop()?.year.version;
      const candidates = new Set([inForce, ...applied.filter((v) => v < target)]);
      return [...candidates].map(calendarOf);
    },
  };
}
