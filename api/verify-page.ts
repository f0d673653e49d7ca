/**
 * The public verification page `/verify/{reportNo}`, the target of a report's QR code: a plain HTML page
 * (no script, no sign-in) showing what the public verification API answers, for a person to compare with
 * the paper or the file in hand.
 */
import { Router } from 'express';
import helmet from 'helmet';
import { HttpError } from './errors';
import type { ReportService } from './services/report-service';
import { cstDateTime } from './services/report-document';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · 信联信用报告验证</title><link rel="stylesheet" href="/app/style.css"></head>
<body><main id="main" class="verify"><h1>信用报告验证</h1>${body}
<p class="hint">验证结果以本页为准。核对文件：计算所持 PDF 文件的 SHA-256 摘要（如 <code>sha256sum 报告.pdf</code>），应与上面的摘要一致。</p>
</main></body></html>`;

export function verifyPage(reports: ReportService): Router {
  const router = Router();
  router.get('/verify/:reportNo', helmet(), async (req, res, next) => {
    try {
      const v = await reports.verify(req.params.reportNo);
      const cls = v.status === 'valid' ? 'ok' : 'warn';
      const rows: Array<[string, string]> = [
        ['报告编号', v.reportNo],
        ['报告类型', v.kindLabel],
        ['主体名称', v.subjectName],
        ['查询期间', `${v.period.from} 至 ${v.period.to}`],
        ['出具时间', cstDateTime(new Date(v.issuedAt))],
        ['PDF 文件 SHA-256', v.sha256],
      ];
      if (v.withdrawnAt) rows.push(['撤销时间', cstDateTime(new Date(v.withdrawnAt))]);
      const body =
        `<p class="status ${cls}" role="status">状态：<strong>${esc(v.statusLabel)}</strong></p>` +
        `<dl>${rows.map(([k, val]) => `<dt>${esc(k)}</dt><dd>${esc(val)}</dd>`).join('')}</dl>`;
      res.type('html').send(page(v.reportNo, body));
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) {
        res
          .status(404)
          .type('html')
          .send(
            page(
              '未找到',
              `<p class="status warn" role="status">未找到编号为“${esc(req.params.reportNo)}”的信用报告，请核对报告编号。</p>`,
            ),
          );
        return;
      }
      next(e);
    }
  });
  return router;
}
