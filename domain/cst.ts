/**
 * Civil dates in China Standard Time (UTC+8, no daylight saving). No dependencies, so workflow code
 * can use them inside the Temporal sandbox (domain/calendar.ts re-exports them with the holidays).
 */

export const CST_OFFSET_MS = 8 * 3600 * 1000;

/** Civil date string YYYY-MM-DD in China Standard Time of an instant. */
export function cstDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant at which a CST civil date ends (24:00 CST = next day 00:00 CST). */
export function endOfCstDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CST_OFFSET_MS + 24 * 3600 * 1000);
}

/** The instant at which a CST civil date starts. */
export function startOfCstDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CST_OFFSET_MS);
}
