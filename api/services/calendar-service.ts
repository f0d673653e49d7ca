/**
 * The working-day calendar as the API serves it, and the office's entry of a year's holiday
 * arrangement: validated against the year, compared with the version in force (a repeated request
 * changes nothing; the same notice again with other dates is a correction and a new version; another
 * notice for a year already confirmed is refused), stored as a new version, installed in this process
 * and handed to the re-planning workflow for the running deadlines it changes.
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { z } from 'zod';
import {
  cstDate,
  currentCalendar,
  PACKAGE_CALENDAR,
  packageArrangementOf,
  type CalendarSource,
} from '../../domain/calendar';
import {
  arrangementIssues,
  HolidayArrangement,
  HolidayPeriod,
  sameArrangement,
} from '../../domain/holiday-arrangement';
import { CivilDate } from '../../domain/dates';
import {
  arrangementId,
  arrangementInForce,
  calendarSync,
  insertVersion,
  VersionTakenError,
  type ArrangementDoc,
} from '../../db/calendar-store';
import { fieldPath, HttpError } from '../errors';
import type { Principal } from '../auth';
import { calendarReplanWorkflow, type CalendarReplanInput } from '../../workflows/calendar-replan';
import { calendarReplanWorkflowId } from '../../domain/workflow-ids';

export const CalendarYearParams = z.object({
  year: z.coerce.number().int('年份应为整数').min(2000, '年份不能早于2000年').max(2100, '年份不能晚于2100年'),
});

export const MonthPreview = z.object({
  month: z.number().int(),
  workingDays: z.number().int(),
  /** What the `chinese-days` package says for the month; null when it has no data for the year. */
  packageWorkingDays: z.number().int().nullable(),
});

export const CalendarYearView = z
  .object({
    year: z.number().int(),
    covered: z.boolean(),
    source: z.enum(['office', 'package', 'none']),
    version: z.number().int().optional(),
    notice: HolidayArrangement.shape.notice.optional(),
    enteredAt: z.string().optional(),
    enteredBy: z.string().optional(),
    holidays: z.array(HolidayPeriod),
    workdays: z.array(CivilDate),
    months: z.array(MonthPreview),
  })
  .strict();
export type CalendarYearView = z.infer<typeof CalendarYearView>;

export const PreviewView = z.object({ year: z.number().int(), months: z.array(MonthPreview) }).strict();

export const PutResult = z
  .object({ created: z.boolean(), replanning: z.string().optional(), calendar: CalendarYearView })
  .strict();
export type PutResult = z.infer<typeof PutResult>;

/** The months of the year under `arrangement` (or the calendar in force) beside the package's. */
function monthsOf(year: number, arrangement?: HolidayArrangement): z.infer<typeof MonthPreview>[] {
  const cal = arrangement
    ? currentCalendar().without(year).withYear({ year, version: 0, arrangement })
    : currentCalendar();
  const mine = cal.monthlyWorkingDays(year);
  const pkg = PACKAGE_CALENDAR.source(year) === 'package' ? PACKAGE_CALENDAR.monthlyWorkingDays(year) : undefined;
  return mine.map((workingDays, i) => ({ month: i + 1, workingDays, packageWorkingDays: pkg ? pkg[i] : null }));
}

export function toCalendarYearView(year: number, doc: ArrangementDoc | undefined): CalendarYearView {
  const source: CalendarSource = doc ? 'office' : PACKAGE_CALENDAR.source(year);
  const pkg = packageArrangementOf(year);
  return {
    year,
    covered: source !== 'none',
    source,
    ...(doc
      ? {
          version: doc.version,
          notice: doc.notice,
          enteredAt: doc.enteredAt,
          enteredBy: doc.enteredBy.name,
          holidays: doc.holidays,
          workdays: doc.workdays,
        }
      : { holidays: pkg.holidays, workdays: pkg.workdays }),
    months: monthsOf(year, doc && { notice: doc.notice, holidays: doc.holidays, workdays: doc.workdays }),
  };
}

/** A refused arrangement: 422 naming the first field, every problem in details (the edge's error shape). */
function refused(issues: { path: (string | number)[]; message: string }[]): HttpError {
  const details = issues.map((i) => ({
    field: `body.${fieldPath(i.path)}`,
    message: i.message,
  }));
  return new HttpError(422, 'rule_violated', `字段 ${details[0].field} 有误：${details[0].message}`, details);
}

export class CalendarService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly today: () => string = () => cstDate(new Date()),
  ) {}

  async get(year: number): Promise<CalendarYearView> {
    return toCalendarYearView(year, await arrangementInForce(year));
  }

  /** The months under an arrangement not yet stored (the page's preview); refused like the entry itself. */
  preview(year: number, a: HolidayArrangement): z.infer<typeof PreviewView> {
    const issues = arrangementIssues(year, a, this.today());
    if (issues.length) throw refused(issues);
    return { year, months: monthsOf(year, a) };
  }

  async put(year: number, a: HolidayArrangement, by: Principal): Promise<{ status: number; body: PutResult }> {
    const issues = arrangementIssues(year, a, this.today());
    if (issues.length) throw refused(issues);
    const current = await arrangementInForce(year);
    if (current && sameArrangement(current, a)) {
      // a repeated request: nothing changes; the re-planning of that version is (re)started if it never was
      const replanning = await this.startReplanning(current);
      return { status: 200, body: { created: false, replanning, calendar: toCalendarYearView(year, current) } };
    }
    if (current && current.notice.number !== a.notice.number) {
      throw refused([
        {
          path: ['notice', 'number'],
          message:
            `${year}年的节假日安排已由“${current.notice.number}”确认（${current.enteredAt.slice(0, 10)} ` +
            `${current.enteredBy.name}录入），不能再以另一通知确认；如属录入错误，请使用同一文号更正`,
        },
      ]);
    }
    const version = (current?.version ?? 0) + 1;
    const doc: ArrangementDoc = {
      _id: arrangementId(year, version),
      year,
      version,
      ...a,
      enteredAt: new Date().toISOString(),
      enteredBy: { sub: by.sub, name: by.name },
    };
    try {
      await insertVersion(doc);
    } catch (e) {
      if (e instanceof VersionTakenError)
        throw new HttpError(409, 'conflict', `${year}年的节假日安排刚由他人更新，请刷新后重试`);
      throw e;
    }
    await calendarSync().ensure(year, version);
    const replanning = await this.startReplanning(doc);
    return { status: 201, body: { created: true, replanning, calendar: toCalendarYearView(year, doc) } };
  }

  /**
   * Starts the re-planning of running deadlines, once per version (a repeat finds it): when this version
   * made the year covered (the first, for a year the package does not hold), and for every correction
   * (version 2 on), which re-plans the deadlines planned before it the same way, never earlier.
   */
  private async startReplanning(doc: ArrangementDoc): Promise<string | undefined> {
    if (doc.version === 1 && PACKAGE_CALENDAR.isYearCovered(doc.year)) return undefined;
    const workflowId = calendarReplanWorkflowId(doc.year, doc.version);
    const input: CalendarReplanInput = {
      year: doc.year,
      version: doc.version,
      coveredAt: doc.enteredAt,
      notice: doc.notice,
    };
    try {
      await this.client.workflow.start(calendarReplanWorkflow, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (e) {
      if ((e as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw e;
    }
    return workflowId;
  }
}
