/**
 * The office's holiday arrangements in MongoDB (`calendar_arrangements`), one document per version:
 * `_id` `<year>:v<version>`, never updated or deleted, so every version ever in force stays readable.
 * The newest version of a year is the one in force. Two writers racing for the same version collide on
 * the _id and the loser is told to retry.
 *
 * `CalendarSync` keeps this process's calendar (domain/calendar.ts) equal to the store: it loads every
 * year at start, then reloads on each change seen on a change stream; `ensure()` reloads at once when a
 * caller needs a version it has not seen yet (the re-planning workflow's activities).
 */
import type { ChangeStream, Collection } from 'mongodb';
import mongoose from 'mongoose';
import { installArrangements } from '../domain/calendar';
import type { HolidayArrangement, YearArrangement } from '../domain/holiday-arrangement';

export interface ArrangementDoc extends HolidayArrangement {
  _id: string;
  year: number;
  version: number;
  enteredAt: string;
  enteredBy: { sub: string; name: string };
}

export const ARRANGEMENTS = 'calendar_arrangements';
const collection = (): Collection<ArrangementDoc> => mongoose.connection.db!.collection<ArrangementDoc>(ARRANGEMENTS);

export const arrangementId = (year: number, version: number) => `${year}:v${version}`;

/** Every version of a year, oldest first. */
export async function versionsOf(year: number): Promise<ArrangementDoc[]> {
  return collection().find({ year }).sort({ version: 1 }).toArray();
}

/** The version in force for a year, if the office has entered one. */
export async function arrangementInForce(year: number): Promise<ArrangementDoc | undefined> {
  return (await collection().find({ year }).sort({ version: -1 }).limit(1).toArray())[0];
}

export class VersionTakenError extends Error {}

/** Stores a new version; throws VersionTakenError when another writer stored that version first. */
export async function insertVersion(doc: ArrangementDoc): Promise<void> {
  try {
    await collection().insertOne(doc);
  } catch (e) {
    if ((e as { code?: number }).code === 11000) throw new VersionTakenError(doc._id);
    throw e;
  }
}

/** The version in force of every year the office has entered. */
export async function loadArrangements(): Promise<YearArrangement[]> {
  const docs = await collection()
    .aggregate<ArrangementDoc>([
      { $sort: { year: 1, version: -1 } },
      { $group: { _id: '$year', doc: { $first: '$$ROOT' } } },
    ])
    .toArray()
    .then((rows) => rows.map((r) => (r as unknown as { doc: ArrangementDoc }).doc));
  return docs.map(toYearArrangement);
}

export function toYearArrangement(d: ArrangementDoc): YearArrangement {
  return {
    year: d.year,
    version: d.version,
    arrangement: { notice: d.notice, holidays: d.holidays, workdays: d.workdays },
  };
}

/** Keeps the process's calendar in step with the store. */
export class CalendarSync {
  private stream?: ChangeStream;
  private loaded = new Map<number, number>();
  private reloading?: Promise<void>;

  /** Loads and installs the arrangements, then follows changes (a replica set is required, as everywhere). */
  async start(): Promise<this> {
    if (this.stream) return this;
    await this.reload();
    this.stream = collection().watch([], { fullDocument: 'default' });
    this.stream.on('change', () => void this.reload().catch(() => undefined));
    // a broken stream leaves the calendar as last loaded; `ensure` still reloads on demand
    this.stream.on('error', () => undefined);
    return this;
  }

  async stop(): Promise<void> {
    await this.stream?.close().catch(() => undefined);
    this.stream = undefined;
  }

  /** Reloads unless this process already has `version` (or a newer one) of `year`. */
  async ensure(year: number, version: number): Promise<void> {
    if ((this.loaded.get(year) ?? 0) >= version) return;
    await this.reload();
    if ((this.loaded.get(year) ?? 0) < version)
      throw new Error(`holiday arrangement ${arrangementId(year, version)} is not in the store`);
  }

  reload(): Promise<void> {
    // one load at a time; a change during a load starts another after it
    const run = (this.reloading ?? Promise.resolve()).then(async () => {
      const years = await loadArrangements();
      installArrangements(years);
      this.loaded = new Map(years.map((y) => [y.year, y.version]));
    });
    this.reloading = run.catch(() => undefined);
    return run;
  }
}

/** The process's one sync: the worker's activities and the API share it when they run together. */
let shared: CalendarSync | undefined;
export function calendarSync(): CalendarSync {
  return (shared ??= new CalendarSync());
}
