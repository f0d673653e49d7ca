/**
 * The public page of the credit service agency directory, `/agencies`: a plain HTML page (no script, no
 * sign-in) listing the recommended agencies as `GET /api/v1/public/agencies` answers them, with a filter
 * by kind and a link to the next page.
 */
import { Router } from 'express';
import helmet from 'helmet';
import { AGENCY_KINDS, AgencyKind } from '../domain/credit-agency';
import { Cursor, DEFAULT_PAGE_LIMIT } from '../domain/pagination';
import type { AgencyService } from './services/agency-service';
import { toPublicAgencyView } from './views/agency-views';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (body: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>信用服务机构推荐名录 · 信联</title><link rel="stylesheet" href="/app/style.css"></head>
<body><main id="main" class="verify agencies"><h1>信用服务机构推荐名录</h1>${body}
<p class="hint">本名录由市社会信用体系建设领导小组办公室维护，仅列出推荐中的机构；机构的信用状况可在信用公示中按统一社会信用代码查询。
数据接口：<code>GET /api/v1/public/agencies</code>。</p>
</main></body></html>`;

export function agencyPage(agencies: AgencyService): Router {
  const router = Router();
  router.get('/agencies', helmet(), async (req, res, next) => {
    try {
      const kindQ = typeof req.query.kind === 'string' && req.query.kind !== '' ? req.query.kind : undefined;
      const kind = kindQ === undefined ? undefined : AgencyKind.safeParse(kindQ);
      const cursorQ = typeof req.query.cursor === 'string' ? Cursor.safeParse(req.query.cursor) : undefined;
      if ((kind && !kind.success) || (cursorQ && !cursorQ.success)) {
        const what = kind && !kind.success ? `未知的机构类别“${esc(kindQ!)}”` : '翻页参数无效';
        res
          .status(400)
          .type('html')
          .send(page(`<p class="status warn" role="alert">${what}，请<a href="/agencies">返回名录</a>。</p>`));
        return;
      }
      const result = await agencies.published(kind?.data, { limit: DEFAULT_PAGE_LIMIT, cursor: cursorQ?.data });
      const items = result.items.map(toPublicAgencyView);
      const options = [['', '全部类别'], ...Object.entries(AGENCY_KINDS)]
        .map(([k, v]) => `<option value="${k}"${k === (kind?.data ?? '') ? ' selected' : ''}>${esc(v)}</option>`)
        .join('');
      const form =
        `<form method="get" action="/agencies" class="filters"><label for="kind">机构类别</label>` +
        `<select id="kind" name="kind">${options}</select> <button type="submit">筛选</button></form>`;
      const rows = items
        .map(
          (a) =>
            `<tr><th scope="row">${esc(a.name)}</th><td>${esc(a.uscc)}</td><td>${esc(a.kindLabel)}</td>` +
            `<td>${a.filing ? `${esc(a.filing.authority)}<br>备案号 ${esc(a.filing.number)}` : '—'}</td>` +
            `<td>${esc(a.services.join('；'))}</td>` +
            `<td>${a.contact.person ? `${esc(a.contact.person)} ` : ''}${esc(a.contact.phone)}` +
            `${a.contact.address ? `<br>${esc(a.contact.address)}` : ''}</td><td>${esc(a.recommendedSince)}</td></tr>`,
        )
        .join('');
      const total = result.total === undefined ? '' : `<p role="status">共 ${result.total} 家机构</p>`;
      const table =
        items.length === 0
          ? '<p role="status">暂无推荐的信用服务机构。</p>'
          : `${total}<table><caption>推荐的信用服务机构</caption><thead><tr><th scope="col">机构名称</th>` +
            `<th scope="col">统一社会信用代码</th><th scope="col">类别</th><th scope="col">备案（中国人民银行）</th>` +
            `<th scope="col">服务内容</th><th scope="col">联系方式</th><th scope="col">推荐日期</th></tr></thead>` +
            `<tbody>${rows}</tbody></table>`;
      const nextQ = new URLSearchParams({ ...(kind?.data ? { kind: kind.data } : {}), cursor: result.next ?? '' });
      const more = result.next ? `<p><a href="/agencies?${esc(nextQ.toString())}">下一页</a></p>` : '';
      res.type('html').send(page(form + table + more));
    } catch (e) {
      next(e);
    }
  });
  return router;
}
