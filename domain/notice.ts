/**
 * The notices served with a listing (告知书): the prior notice (事前告知书: facts, basis, the measures
 * that will apply, the right to object within the notice window and how, the objection deadline) and,
 * for a black-list entry, the credit-repair notice served with it ("两书同达": conditions, the earliest
 * repair date, the materials, that repair is free). Pure: the facts, the calendar and the rules table
 * in, the text of each notice out. Stored, rendered (PDF, HTML) and served elsewhere.
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { z } from 'zod';
import { addCalendarDays, addMonths, currentCalendar, type WorkingCalendar } from './calendar';
import { CivilDate } from './dates';
import { EntryId } from './ids';
import { ListingRequestFields, type ListingRequest } from './listing';
import { NOT_REPAIRABLE, REGIME_LABELS, regimeOn } from './repair';
import { ruleFor, workingDaysRule } from './rules';
import { CATEGORIES, LIST_KIND_LABELS, SEVERITY_LABELS, SUBJECT_TYPE_LABELS } from './vocabulary';

export const NoticeKind = z.enum(['prior', 'repair']);
export type NoticeKind = z.infer<typeof NoticeKind>;
export const NOTICE_KIND_LABELS: Record<NoticeKind, string> = { prior: '事前告知书', repair: '信用修复告知书' };

/** A measure the listing will bring, as the notice names it. */
export const NoticeMeasure = z.object({
  departmentName: z.string(),
  title: z.string(),
  basis: z.string(),
});
export type NoticeMeasure = z.infer<typeof NoticeMeasure>;

/** Everything a listing's notices are made from: stored beside them ("the content it was made from"). */
export const NoticeFacts = z.object({
  entryId: EntryId,
  request: ListingRequestFields,
  /** The civil date (CST) the notices are served: the listing's `noticeServedOn`. */
  servedOn: CivilDate,
  noticeWindowWorkingDays: z.number().int().min(0),
  /** The last day of the notice window: an objection filed by 24:00 of this day is in time. */
  objectionDeadline: CivilDate,
  /** The day the listing takes effect unless an objection holds it: max(requested, day after the window). */
  plannedEffectiveDate: CivilDate,
  /** Whether every day of the window is in a year whose holiday arrangement is known. */
  calendarCovered: z.boolean(),
  measures: z.array(NoticeMeasure),
  issuer: z.string(),
});
export type NoticeFacts = z.infer<typeof NoticeFacts>;

const Section = z.object({
  heading: z.string(),
  paragraphs: z.array(z.string()),
  table: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
});

/** One notice's text: what the PDF and the HTML show, word for word. */
export const NoticeContent = z.object({
  kind: NoticeKind,
  noticeNo: z.string(),
  title: z.string(),
  issuer: z.string(),
  /** The addressee line: 「示例科技有限公司（统一社会信用代码：…）：」 */
  addressee: z.string(),
  fields: z.array(z.object({ label: z.string(), value: z.string() })),
  sections: z.array(Section),
  /** Right-aligned closing lines: issuer, date. */
  closing: z.array(z.string()),
  /** The dates the notice states, machine-readable. */
  dates: z.object({
    servedOn: CivilDate,
    objectionDeadline: CivilDate.optional(),
    plannedEffectiveDate: CivilDate,
    earliestRepairDate: CivilDate.optional(),
  }),
});
export type NoticeContent = z.infer<typeof NoticeContent>;

/** The dates of a notice window served on `servedOn`, by the calendar and the rules table. */
export function noticeDates(
  servedOn: string,
  effectiveDate: string,
  cal: WorkingCalendar = currentCalendar(),
): Pick<NoticeFacts, 'noticeWindowWorkingDays' | 'objectionDeadline' | 'plannedEffectiveDate' | 'calendarCovered'> {
  const days = workingDaysRule('listing.noticeWindow', servedOn);
  const end = cal.addWorkingDays(servedOn, days);
  const afterWindow = addCalendarDays(end, 1);
  return {
    noticeWindowWorkingDays: days,
    objectionDeadline: end,
    plannedEffectiveDate: effectiveDate > afterWindow ? effectiveDate : afterWindow,
    calendarCovered: cal.isYearCovered(Number(servedOn.slice(0, 4))) && cal.isYearCovered(Number(end.slice(0, 4))),
  };
}

/** 2026-12-01 → 2026年12月1日 */
export function cnDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const idLabel = (r: ListingRequest | z.infer<typeof ListingRequestFields>) =>
  r.subject.type === 'individual' ? '公民身份号码' : '统一社会信用代码';
const idOf = (r: z.infer<typeof ListingRequestFields>) =>
  r.subject.type === 'individual' ? r.subject.idNumber : r.subject.uscc;
const basisText = (r: z.infer<typeof ListingRequestFields>) =>
  r.legalBasis.map((b) => `《${b.document.replace(/^《|》$/g, '')}》${b.article ?? ''}`).join('、');

/** Whether the listing gets a credit-repair notice: black-list entries whose removal is by repair. */
export function repairNoticeApplies(r: z.infer<typeof ListingRequestFields>): boolean {
  return r.listKind === 'black' && !NOT_REPAIRABLE[r.category];
}

/** The earliest repair date: the minimum publicity period of the severity, counted from taking effect. */
export function earliestRepairDate(f: NoticeFacts): { date: string; months: number; source: string } {
  const severity = f.request.severity ?? 'serious';
  const rule = ruleFor(`repair.minPeriod.${severity}`, f.servedOn);
  return { date: addMonths(f.plannedEffectiveDate, rule.period.value), months: rule.period.value, source: rule.source };
}

export function priorNotice(f: NoticeFacts, noticeNo: string): NoticeContent {
  const r = f.request;
  const category = CATEGORIES[r.category].label;
  const list = LIST_KIND_LABELS[r.listKind];
  const black = r.listKind === 'black';
  const measureWord = black ? '失信惩戒措施' : '守信激励措施';
  const deadline = cnDate(f.objectionDeadline);
  const you = r.subject.type === 'individual' ? '你' : '你单位';
  const provisional = f.calendarCovered
    ? ''
    : '（该期限所在年度的法定节假日安排尚未公布，暂按周末计算；公布后如期限顺延，以顺延后的期限为准，不会缩短）';
  return {
    kind: 'prior',
    noticeNo,
    title: `${list}列入事前告知书`,
    issuer: f.issuer,
    addressee: `${r.subject.name}（${idLabel(r)}：${idOf(r)}）：`,
    fields: [
      { label: '告知书编号', value: noticeNo },
      { label: '当事人', value: r.subject.name },
      { label: idLabel(r), value: idOf(r) },
      { label: '主体类型', value: SUBJECT_TYPE_LABELS[r.subject.type] },
      { label: '名单类别', value: `${category}（${list}）` },
      ...(r.severity ? [{ label: '失信程度', value: SEVERITY_LABELS[r.severity] }] : []),
      { label: '认定单位', value: r.authority },
      { label: '决定文书', value: `${r.decisionDocument.number}（${cnDate(r.decisionDocument.date)}）` },
      { label: '送达日期', value: cnDate(f.servedOn) },
    ],
    sections: [
      {
        heading: '一、认定的事实',
        paragraphs: [`经${r.authority}认定（${r.decisionDocument.number}），${you}：${r.reason}`],
      },
      {
        heading: '二、列入依据',
        paragraphs: [
          `依据${basisText(r)}，拟将${you}列入“${category}”（${list}），` +
            `拟自${cnDate(f.plannedEffectiveDate)}起生效，有效期至${cnDate(r.validUntil)}。`,
        ],
      },
      {
        heading: `三、将采取的${measureWord}`,
        paragraphs:
          f.measures.length === 0
            ? [`按现行措施清单，本条目暂无匹配的${measureWord}；清单调整的，按调整后的清单执行。`]
            : [`列入生效后，下列部门将依法依规采取以下${measureWord}（共${f.measures.length}项）：`],
        ...(f.measures.length
          ? {
              table: {
                columns: ['序号', '实施部门', '措施', '依据'],
                rows: f.measures.map((m, i) => [String(i + 1), m.departmentName, m.title, m.basis]),
              },
            }
          : {}),
      },
      {
        heading: '四、陈述、申辩和异议的权利',
        paragraphs: [
          `${you}对上述事实、依据或拟采取的措施有异议的，` +
            `有权在本告知书送达之日起${f.noticeWindowWorkingDays}个工作日内，即${deadline}24时前` +
            `提出异议、进行陈述和申辩${provisional}。`,
          '提出方式：登录信联系统“我的信用记录”，对本条目选择“提出异议”，写明异议理由并附证据材料；' +
            `也可向${r.authority}或本办书面提出。`,
          '告知期内提出异议的，列入暂缓生效，待认定单位核实并作出决定后再行处理；异议处理期间，相关记录标注“异议处理中”。' +
            `逾期未提出异议的，视为放弃陈述、申辩和异议的权利，列入自${cnDate(f.plannedEffectiveDate)}起生效。`,
        ],
      },
      ...(black && repairNoticeApplies(r)
        ? [
            {
              heading: '五、信用修复',
              paragraphs: [
                `${you}纠正失信行为、履行法定义务后，可依法申请信用修复，详见随本告知书一并送达的《信用修复告知书》。`,
              ],
            },
          ]
        : []),
    ],
    closing: [f.issuer, cnDate(f.servedOn)],
    dates: {
      servedOn: f.servedOn,
      objectionDeadline: f.objectionDeadline,
      plannedEffectiveDate: f.plannedEffectiveDate,
    },
  };
}

export function repairNotice(f: NoticeFacts, noticeNo: string): NoticeContent {
  const r = f.request;
  const category = CATEGORIES[r.category].label;
  const severity = r.severity ?? 'serious';
  const earliest = earliestRepairDate(f);
  const regime = REGIME_LABELS[regimeOn(f.servedOn)];
  const you = r.subject.type === 'individual' ? '你' : '你单位';
  return {
    kind: 'repair',
    noticeNo,
    title: '信用修复告知书',
    issuer: f.issuer,
    addressee: `${r.subject.name}（${idLabel(r)}：${idOf(r)}）：`,
    fields: [
      { label: '告知书编号', value: noticeNo },
      { label: '当事人', value: r.subject.name },
      { label: idLabel(r), value: idOf(r) },
      { label: '名单类别', value: `${category}（${LIST_KIND_LABELS[r.listKind]}）` },
      { label: '失信程度', value: SEVERITY_LABELS[severity] },
      { label: '决定文书', value: `${r.decisionDocument.number}（${cnDate(r.decisionDocument.date)}）` },
      { label: '送达日期', value: cnDate(f.servedOn) },
    ],
    sections: [
      {
        heading: '一、修复条件',
        paragraphs: [
          `依据${regime}，${you}同时符合下列条件的，可以申请信用修复：`,
          `（一）自列入生效之日起已满最短公示期${earliest.months}个月（${SEVERITY_LABELS[severity]}失信信息；${earliest.source}）；`,
          '（二）已纠正失信行为，履行完毕法定义务（如缴清税款、罚款，完成整改）；',
          '（三）作出信用承诺，承诺依法诚信经营、不再发生同类失信行为，并同意公开承诺内容；',
          '（四）法律、法规和党中央、国务院政策文件规定的其他条件。',
          '提供虚假材料、违背信用承诺或屡禁不止、屡罚不改的，依规定不予修复或一定期限内不得再次申请。',
        ],
      },
      {
        heading: '二、最早可申请修复的日期',
        paragraphs: [
          `按列入拟生效日期${cnDate(f.plannedEffectiveDate)}计算，${you}最早可于${cnDate(earliest.date)}起申请信用修复` +
            '（列入因异议等原因推迟生效的，相应顺延）。',
        ],
      },
      {
        heading: '三、申请材料',
        paragraphs: [
          '（一）履行法定义务、纠正失信行为的证明材料（相关部门可通过系统直接核验的，无需重复提供）；',
          '（二）信用承诺书。',
          '不要求提供其他材料。',
        ],
      },
      {
        heading: '四、申请方式与办理时限',
        paragraphs: [
          '可通过“信用中国”网站，或登录信联系统“我的信用记录”选择“申请信用修复”提出申请；' +
            `按“谁认定、谁修复”，由${r.authority}作出修复决定。`,
          '修复决定作出后，停止公示相关失信信息，并同步解除相应的联合惩戒措施。',
        ],
      },
      {
        heading: '五、修复免费',
        paragraphs: [
          '信用修复是公共服务，各级信用主管部门和认定单位办理信用修复不收取任何费用；' +
            '任何机构以“付费修复”“有偿删除”等名义收费的，均与本办无关，可向本办举报。',
        ],
      },
    ],
    closing: [f.issuer, cnDate(f.servedOn)],
    dates: { servedOn: f.servedOn, plannedEffectiveDate: f.plannedEffectiveDate, earliestRepairDate: earliest.date },
  };
}

/** Crockford's base32 without I, L, O, U. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX: Record<NoticeKind, string> = { prior: 'GZ', repair: 'XF' };

/** A notice number: `GZ` (事前告知) or `XF` (信用修复) + serving date + 40 random bits (GZ20261201-7KQ2-M9ZD). */
export function noticeNumber(kind: NoticeKind, servedOn: string, random: Buffer): string {
  if (random.length < 5) throw new Error('a notice number needs 40 random bits');
  let bits = 0n;
  for (const b of random.subarray(0, 5)) bits = (bits << 8n) | BigInt(b);
  let s = '';
  for (let i = 0; i < 8; i++) {
    s = ALPHABET[Number(bits & 31n)] + s;
    bits >>= 5n;
  }
  return `${PREFIX[kind]}${servedOn.replaceAll('-', '')}-${s.slice(0, 4)}-${s.slice(4)}`;
}

export const NOTICE_NO = /^(GZ|XF)\d{8}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
export const NoticeNoParam = z.string().regex(NOTICE_NO, '告知书编号格式不正确，应如 GZ20261201-7KQ2-M9ZD');

/** The SHA-256 of a notice's content (stable key order): what the serving record names. */
export function noticeDigest(c: NoticeContent): string {
  return createHash('sha256').update(stringify(c)).digest('hex');
}
