/**
 * A crash during the issue of a credit report, on a real mongod: the report is inserted complete and
 * marked, its audit entry is appended by key, then the mark is cleared — one ordered step whose every
 * part is idempotent. A crash after the insert or after the entry is completed by the next read of the
 * report: the entry exists exactly once and the report is never shown without it.
 */
import mongoose from 'mongoose';
import { CreditFileService } from '../../api/services/credit-file-service';
import { CreditRecordService } from '../../api/services/credit-record-service';
import { ReportService, type AuditAppend } from '../../api/services/report-service';
import { appendAudit, auditEntries, verifyAuditChain } from '../../db/audit-log';
import { CreditReportModel } from '../../db/credit-reports';
import { CreditRecordInput } from '../../domain/credit-record';
import { daysFromToday } from '../support/fixtures';
import { connectTestDb } from '../support/mongo';

const USCC = '914403001922038216';
const period = { from: daysFromToday(-365), to: daysFromToday(0) };
const requester = { sub: 's1', name: '示例科技有限公司', role: 'subject' };
const files = new CreditFileService();
const options = { issuer: '测试出具单位', publicBaseUrl: 'http://127.0.0.1:3000' };

beforeAll(async () => {
  await connectTestDb('report_issue_audit');
  await new CreditRecordService().deliver({ departmentId: 'tax', departmentName: '沧州市税务局', by: '税务局' }, [
    CreditRecordInput.parse({
      recordClass: 'administrative_penalty',
      sourceRecordId: 'AUDIT-1',
      subject: { type: 'enterprise', uscc: USCC, name: '示例科技有限公司' },
      decisionDocument: { number: '沧税罚〔审计〕1号', date: daysFromToday(-30) },
      title: '未按规定期限办理纳税申报',
      severity: 'general',
    }),
  ]);
});
afterAll(() => mongoose.disconnect());

const issueEntries = async (reportNo: string) =>
  (await auditEntries({ limit: 100, targetId: reportNo })).items.filter((e) => e.action === 'credit_report.issue');

/** Issues with an audit step that fails as `crash` says; returns the number of the report it inserted. */
async function issueCrashing(crash: 'before-entry' | 'after-entry'): Promise<string> {
  const crashing: AuditAppend = async (entry) => {
    if (crash === 'after-entry') await appendAudit(entry);
    throw new Error('process killed');
  };
  const before = new Set((await CreditReportModel.find({}, { _id: 1 }).lean()).map((d) => d._id));
  await expect(
    new ReportService(files, options, crashing).issue({ subjectId: USCC, kind: 'special', period, requester }),
  ).rejects.toThrow('process killed');
  const inserted = (await CreditReportModel.find({}, { _id: 1 }).lean()).filter((d) => !before.has(d._id));
  expect(inserted).toHaveLength(1);
  return inserted[0]._id;
}

it('writes the report and exactly one audit entry, and clears the mark, when nothing fails', async () => {
  const reports = new ReportService(files, options);
  const r = await reports.issue({ subjectId: USCC, kind: 'special', period, requester, requestId: 'req-1' });
  const entries = await issueEntries(r.reportNo);
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    key: `credit_report:${r.reportNo}:issue`,
    actor: { sub: 's1', name: '示例科技有限公司', role: 'subject' },
    target: { kind: 'credit_report', id: r.reportNo },
    after: { reportNo: r.reportNo, kind: 'special', subjectId: USCC, sha256: r.sha256 },
    requestId: 'req-1',
  });
  expect((await CreditReportModel.findById(r.reportNo).lean())?.auditPending).toBeUndefined();
});

it.each(['before-entry', 'after-entry'] as const)(
  'completes a report whose issue crashed %s: its audit entry once, on the next read',
  async (crash) => {
    const reportNo = await issueCrashing(crash);
    expect((await CreditReportModel.findById(reportNo).lean())?.auditPending).toBe(true);
    expect(await issueEntries(reportNo)).toHaveLength(crash === 'after-entry' ? 1 : 0);
    // the public verification is a read: it settles the report before answering
    const reports = new ReportService(files, options);
    expect(await reports.verify(reportNo)).toMatchObject({ reportNo, status: 'valid' });
    expect(await issueEntries(reportNo)).toHaveLength(1);
    expect((await CreditReportModel.findById(reportNo).lean())?.auditPending).toBeUndefined();
    // reading again, or listing the subject's reports, adds nothing
    await reports.verify(reportNo);
    expect((await reports.ofSubject(USCC, { limit: 100 })).items.map((x) => x.reportNo)).toContain(reportNo);
    expect(await issueEntries(reportNo)).toHaveLength(1);
    expect((await verifyAuditChain()).ok).toBe(true);
  },
);

it("settles a cut-short issue when the subject's reports are listed", async () => {
  const reportNo = await issueCrashing('before-entry');
  await new ReportService(files, options).ofSubject(USCC, { limit: 100 });
  expect(await issueEntries(reportNo)).toHaveLength(1);
  expect((await CreditReportModel.findById(reportNo).lean())?.auditPending).toBeUndefined();
});
