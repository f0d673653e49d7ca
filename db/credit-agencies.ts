/**
 * The credit service agency directory in MongoDB (`credit_agencies`, one document per agency, `_id` its
 * USCC, so a write is idempotent by USCC and two creations of one code cannot both succeed) and the
 * departments' uses of agencies' reports (`agency_report_uses`, `_id` a hash of department, agency,
 * report number and matter). A change is one conditional update on the document's revision.
 */
import { createHash } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { AgencyFields, AgencyReportUse, RecommendationStatus, StatusChange } from '../domain/credit-agency';
import type { Page, PageRequest } from '../domain/pagination';
import { ALL_MODELS } from './models';
import { findPage, type SortKey } from './paging';
import { insertOnce } from './insert-once';

export interface AgencyDoc extends AgencyFields {
  _id: string;
  uscc: string;
  status: RecommendationStatus;
  history: StatusChange[];
  rev: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface AgencyUseDoc extends AgencyReportUse {
  _id: string;
  useId: string;
  agencyName: string;
  departmentId: string;
  departmentName: string;
  recordedAt: string;
  recordedBy: string;
}

const opts = { versionKey: false, strict: false, minimize: false } as const;

export const AgencyModel = mongoose.model<AgencyDoc>(
  'CreditAgency',
  new Schema({ _id: String, status: String, kind: String, name: String }, { ...opts, collection: 'credit_agencies' })
    // the pages of the office's list and of the public directory, by name, by each filter
    .index({ name: 1, _id: 1 })
    .index({ kind: 1, name: 1, _id: 1 })
    .index({ status: 1, name: 1, _id: 1 })
    .index({ status: 1, kind: 1, name: 1, _id: 1 }),
);

export const AgencyUseModel = mongoose.model<AgencyUseDoc>(
  'AgencyReportUse',
  new Schema({ _id: String, departmentId: String, agencyUscc: String }, { ...opts, collection: 'agency_report_uses' })
    // a department's own uses, newest first; the supervision figures of a period
    .index({ departmentId: 1, recordedAt: -1, _id: -1 })
    .index({ usedOn: 1, agencyUscc: 1 }),
);
ALL_MODELS.push(AgencyModel as never, AgencyUseModel as never);

const BY_NAME: SortKey[] = [
  { field: 'name', dir: 1 },
  { field: '_id', dir: 1 },
];
const NEWEST: SortKey[] = [
  { field: 'recordedAt', dir: -1 },
  { field: '_id', dir: -1 },
];

/** Inserts a new agency; false when one with that USCC is already stored. */
export const insertAgency = (doc: AgencyDoc): Promise<boolean> => insertOnce(AgencyModel.collection, doc);

export const agencyByUscc = (uscc: string) => AgencyModel.findById(uscc).lean<AgencyDoc>();

/** Applies `set` (and `push` onto the history) if the agency is still at revision `rev`; the new document or null. */
export function updateAgency(
  uscc: string,
  rev: number,
  set: Partial<AgencyDoc>,
  push?: StatusChange,
): Promise<AgencyDoc | null> {
  return AgencyModel.findOneAndUpdate(
    { _id: uscc, rev },
    { $set: { ...set, rev: rev + 1 }, ...(push ? { $push: { history: push } } : {}) },
    { returnDocument: 'after' },
  ).lean<AgencyDoc>();
}

/** The agencies of a filter, by name, a page at a time. */
export function agencyPage(
  filter: { status?: RecommendationStatus; kind?: string },
  page: PageRequest,
): Promise<Page<AgencyDoc>> {
  const f: Record<string, string> = {};
  if (filter.status) f.status = filter.status;
  if (filter.kind) f.kind = filter.kind;
  return findPage<AgencyDoc>(AgencyModel, f, BY_NAME, page, { total: true });
}

/** A use's id: one per department, agency, report and matter. */
export function agencyUseIdOf(departmentId: string, u: Pick<AgencyReportUse, 'agencyUscc' | 'reportNo' | 'matter'>) {
  const key = `${departmentId}|${u.agencyUscc}|${u.reportNo}|${u.matter}`;
  return 'AU' + createHash('sha256').update(key).digest('hex').slice(0, 20);
}

/** Inserts a use; the stored one when a use of that id exists already. */
export async function insertAgencyUse(doc: AgencyUseDoc): Promise<{ created: boolean; stored: AgencyUseDoc }> {
  if (await insertOnce(AgencyUseModel.collection, doc)) return { created: true, stored: doc };
  const stored = await AgencyUseModel.findById(doc._id).lean<AgencyUseDoc>();
  return { created: false, stored: stored! };
}

export function agencyUsesOf(departmentId: string, page: PageRequest): Promise<Page<AgencyUseDoc>> {
  return findPage<AgencyUseDoc>(AgencyUseModel, { departmentId }, NEWEST, page, { total: true });
}

export interface AgencyUseCount {
  agencyUscc: string;
  uses: number;
  departments: number;
  matters: number;
}

/** Uses per agency with usedOn in [from, to] (inclusive). */
export async function agencyUseCounts(from: string, to: string): Promise<AgencyUseCount[]> {
  return AgencyUseModel.aggregate<AgencyUseCount>([
    { $match: { usedOn: { $gte: from, $lte: to } } },
    {
      $group: {
        _id: '$agencyUscc',
        uses: { $sum: 1 },
        departments: { $addToSet: '$departmentId' },
        matters: { $addToSet: '$matter' },
      },
    },
    {
      $project: {
        _id: 0,
        agencyUscc: '$_id',
        uses: 1,
        departments: { $size: '$departments' },
        matters: { $size: '$matters' },
      },
    },
  ]);
}

/** The agencies of these USCCs and every recommended one (the directory the figures are about). */
export function agenciesForFigures(usccs: string[]): Promise<AgencyDoc[]> {
  return AgencyModel.find({ $or: [{ _id: { $in: usccs } }, { status: 'recommended' }] }, { history: 0 }).lean<
    AgencyDoc[]
  >();
}
