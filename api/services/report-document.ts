/**
 * A credit report's content (domain/credit-report.ts) laid out as a printable document for infra/pdf:
 * header fields, one section per domain with its table or its "no record" statement, the explanation
 * and the issuer, a QR code to the public verification page.
 */
import type { PdfDocumentInput } from '../../infra/pdf';
import type { ReportContent } from '../../domain/credit-report';
import { SUBJECT_TYPE_LABELS, type SubjectType } from '../../domain/vocabulary';

export interface ReportMeta {
  reportNo: string;
  issuedAt: Date;
  issuer: string;
  verifyUrl: string;
}

const CN_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/** 2026-12-01T03:04:05Z → 2026年12月01日 11:04:05 (CST) */
export function cstDateTime(d: Date): string {
  const s = new Date(d.getTime() + 8 * 3600 * 1000).toISOString();
  return `${s.slice(0, 4)}年${s.slice(5, 7)}月${s.slice(8, 10)}日 ${s.slice(11, 19)}`;
}

export function reportDocument(c: ReportContent, meta: ReportMeta): PdfDocumentInput {
  const idLabel = c.subject.type === 'individual' ? '公民身份号码' : '统一社会信用代码';
  const special = c.kind === 'special';
  return {
    title: c.kindLabel,
    subtitle: meta.issuer,
    headerFields: [
      { label: '报告编号', value: meta.reportNo },
      { label: '主体名称', value: c.subject.name },
      { label: idLabel, value: c.subject.id },
      { label: '主体类型', value: SUBJECT_TYPE_LABELS[c.subject.type as SubjectType] ?? c.subject.type },
      { label: '查询期间', value: `${c.period.from} 至 ${c.period.to}` },
      { label: '出具时间', value: cstDateTime(meta.issuedAt) },
    ],
    qr: { text: meta.verifyUrl, caption: '扫码验证报告' },
    sections: [
      ...c.sections.map((s, i) => ({
        heading: `${CN_NUMERALS[i] ?? i + 1}、${s.label}`,
        blocks: [
          {
            kind: 'table' as const,
            columns: [
              { header: '序号', width: 0.55, align: 'center' as const },
              { header: '决定文书号', width: 1.9 },
              { header: '事项', width: 1.9 },
              { header: '内容', width: 3.2 },
              { header: '认定/来源单位', width: 1.9 },
              { header: '日期', width: 1.25 },
              { header: '状态', width: 1.2 },
            ],
            rows: s.rows.map((r, n) => [
              String(n + 1),
              r.documentNumber,
              r.title + (r.severityLabel ? `（${r.severityLabel}）` : ''),
              r.details,
              r.source,
              r.date,
              r.statusLabel,
            ]),
            emptyText: s.statement,
          },
        ],
      })),
      {
        heading: '说明',
        blocks: [
          {
            kind: 'paragraph',
            indent: true,
            text: special
              ? '本报告为专项信用报告（无违法违规记录证明版），依据发改财金〔2025〕565号文件出具，涵盖行政处罚' +
                '（含简易程序处罚）、行政强制、严重失信主体名单、刑事裁判等领域，可替代上述领域的无违法违规记录证明。'
              : '本报告为公共信用信息报告，汇集查询期间内依法公示的该主体公共信用信息。',
          },
          {
            kind: 'paragraph',
            indent: true,
            text:
              '本报告信息截至出具时间，由各认定单位按“谁产生、谁负责”报送。已修复或超过公示期限的信息不在报告中展示；' +
              '标注“异议处理中”的信息正在异议核查。主体对报告内容有异议的，可向本系统提出异议申请。',
          },
          {
            kind: 'paragraph',
            indent: true,
            text: `验证方式：扫描右上角二维码或访问 ${meta.verifyUrl}，核对报告状态及本文件的 SHA-256 摘要。`,
          },
          { kind: 'signature', lines: [meta.issuer, cstDateTime(meta.issuedAt).slice(0, 11)] },
        ],
      },
    ],
    footer: `报告编号 ${meta.reportNo}`,
    info: { creationDate: meta.issuedAt, subject: c.kindLabel, author: meta.issuer, keywords: meta.reportNo },
  };
}
