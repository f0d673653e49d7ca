/**
 * Seeds the read model for the check benchmark, as the listing workflow's projections would have
 * written it: for every listed subject one entry with one live task per matched department.
 */
import type { Db } from 'mongodb';
import { matchEntry } from '../measures/matching';
import type { Catalogue } from '../measures/catalogue';
import { benchUscc, isListed } from './subjects';

export async function seedChecks(
  db: Db,
  catalogue: Catalogue,
  fromSubject: number,
  toSubject: number,
): Promise<{ entries: number; tasks: number }> {
  const groups = matchEntry(catalogue, {
    listKind: 'black',
    category: 'major_tax_violation',
    severity: 'serious',
    subjectType: 'enterprise',
  });
  const tasks = db.collection('tasks');
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 365 * 86400_000).toISOString();
  let batch: object[] = [];
  let entries = 0;
  let written = 0;
  const flush = async () => {
    if (batch.length) await tasks.insertMany(batch, { ordered: false });
    written += batch.length;
    batch = [];
  };
  for (let i = fromSubject; i < toSubject; i++) {
    if (!isListed(i)) continue;
    entries++;
    const subjectId = benchUscc(i);
    const entryId = `E${i.toString(16).padStart(20, '0')}`;
    for (const g of groups) {
      batch.push({
        _id: `${entryId}:${g.departmentId}`,
        taskId: `${entryId}:${g.departmentId}`,
        entryId,
        subjectId,
        entry: {
          listKind: 'black',
          category: 'major_tax_violation',
          severity: 'serious',
          authority: '国家税务总局沧州市税务局',
          effectiveAt: now,
          expiresAt: expires,
        },
        departmentId: g.departmentId,
        departmentName: g.departmentName,
        measures: g.measures.map(({ id, kind, title, mandatory, legalBasis }) => ({
          id,
          kind,
          title,
          mandatory,
          legalBasis,
        })),
        status: 'pending',
        assignedAt: now,
        ackDeadline: expires,
        remindAt: expires,
        feedbackDue: expires,
        overdue: false,
        feedbackOverdue: false,
        feedbackCount: 0,
        rev: 1,
      });
      if (batch.length >= 5000) await flush();
    }
  }
  await flush();
  return { entries, tasks: written };
}
