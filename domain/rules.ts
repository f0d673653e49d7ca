/**
 * The rules table: every legal period and deadline the system applies, with the date from which it is
 * in force and its source. A rule is chosen by the date of the act it governs (the listing's start,
 * the application date…), so a rule change never rewrites running cases.
 *
 * Numbers marked `confirmed: false` are not fixed by a retrieved national text (see DOMAIN.md); they
 * are this city's configuration and can be changed by adding a newer row, never by editing an old one.
 */

export type Period =
  | { unit: 'working_days'; value: number }
  | { unit: 'months'; value: number }
  | { unit: 'days'; value: number }
  | { unit: 'count'; value: number };

export interface Rule {
  key: RuleKey;
  period: Period;
  effectiveFrom: string; // YYYY-MM-DD, inclusive
  effectiveTo?: string; // YYYY-MM-DD, exclusive
  source: string;
  confirmed: boolean;
}

export type RuleKey =
  | 'listing.noticeWindow'
  | 'task.ackPeriod'
  | 'task.reminderBefore'
  | 'task.feedbackPeriod'
  | 'publicity.max.minor'
  | 'publicity.max.general'
  | 'publicity.max.serious'
  | 'publicity.min.general'
  | 'publicity.min.serious'
  | 'redList.maxValidity'
  | 'objection.verifyPeriod'
  | 'objection.reminderBefore'
  | 'objection.extensionMax'
  | 'repair.acceptPeriod'
  | 'repair.decisionPeriod'
  | 'repair.totalPeriod'
  | 'repair.minPeriod.minor'
  | 'repair.minPeriod.general'
  | 'repair.minPeriod.serious'
  | 'repair.reapplyAfterRejection'
  | 'repair.maxApprovedPerFiveYears'
  | 'publicity.max.other'
  | 'report.maxPeriod'
  | 'report.defaultPeriod'
  | 'report.departmentCheckValidity'
  | 'authorisation.maxValidity';

const wd = (value: number): Period => ({ unit: 'working_days', value });
const months = (value: number): Period => ({ unit: 'months', value });
const days = (value: number): Period => ({ unit: 'days', value });
const count = (value: number): Period => ({ unit: 'count', value });
/** NDRC Order No. 36 replaces Order 2023 No. 58 from this date (国办发〔2025〕22号 carried out). */
export const ORDER_36_FROM = '2026-04-01';

export const RULES: readonly Rule[] = [
  {
    key: 'listing.noticeWindow',
    period: wd(5),
    effectiveFrom: '2020-12-18',
    source: '国办发〔2020〕49号（八）事前告知、异议核实；期限参照《河南省社会信用条例》第二十八条等地方规定，本市配置',
    confirmed: false,
  },
  {
    key: 'task.ackPeriod',
    period: wd(3),
    effectiveFrom: '2016-05-30',
    source: '国发〔2016〕33号 发起–响应–反馈机制；签收时限本市配置',
    confirmed: false,
  },
  {
    key: 'task.reminderBefore',
    period: wd(1),
    effectiveFrom: '2016-05-30',
    source: '本市督查考核配置：签收截止前1个工作日提醒',
    confirmed: false,
  },
  {
    key: 'task.feedbackPeriod',
    period: wd(20),
    effectiveFrom: '2016-07-12',
    source: '发改财金〔2016〕1467号 按季度反馈执行情况；首次反馈时限本市配置',
    confirmed: false,
  },
  // Publicity periods of untrustworthy information by severity (国办发〔2025〕22号; NDRC Order 36).
  {
    key: 'publicity.max.minor',
    period: months(3),
    effectiveFrom: '2025-06-22',
    source: '国办发〔2025〕22号；国家发展改革委令第36号',
    confirmed: true,
  },
  {
    key: 'publicity.max.general',
    period: months(12),
    effectiveFrom: '2023-05-01',
    source: '国家发展改革委令2023年第58号；国办发〔2025〕22号',
    confirmed: true,
  },
  {
    key: 'publicity.min.general',
    period: months(3),
    effectiveFrom: '2023-05-01',
    source: '国家发展改革委令2023年第58号；国办发〔2025〕22号',
    confirmed: true,
  },
  {
    key: 'publicity.max.serious',
    period: months(36),
    effectiveFrom: '2019-07-01',
    source: '发改办财金〔2019〕527号；国家发展改革委令第36号',
    confirmed: true,
  },
  {
    key: 'publicity.min.serious',
    period: months(6),
    effectiveFrom: '2019-07-01',
    effectiveTo: '2023-05-01',
    source: '发改办财金〔2019〕527号',
    confirmed: true,
  },
  {
    key: 'publicity.min.serious',
    period: months(12),
    effectiveFrom: '2023-05-01',
    source: '国家发展改革委令2023年第58号；国家发展改革委令第36号',
    confirmed: true,
  },
  {
    key: 'redList.maxValidity',
    period: months(36),
    effectiveFrom: '2016-05-30',
    source: '本市配置：红名单有效期最长3年，到期重新认定',
    confirmed: false,
  },

  // Objections (异议). Hebei's own numbers were not retrieved; these follow the comparable provincial
  // laws (Shandong Art.39 / Henan Art.41: 7 working days with the data provider; Zhejiang Art.31:
  // extensions up to 20 working days in all) and are the city's configuration until verified.
  {
    key: 'objection.verifyPeriod',
    period: wd(7),
    effectiveFrom: '2017-09-28',
    source: '参照《山东省社会信用条例》第三十九条、《河南省社会信用条例》第四十一条；河北省条例第六章数值待核实',
    confirmed: false,
  },
  {
    key: 'objection.reminderBefore',
    period: wd(1),
    effectiveFrom: '2017-09-28',
    source: '本市配置：核查截止前1个工作日提醒',
    confirmed: false,
  },
  {
    key: 'objection.extensionMax',
    period: wd(20),
    effectiveFrom: '2017-09-28',
    source: '参照《浙江省公共信用信息管理条例》第三十一条：累计延长不超过20个工作日',
    confirmed: false,
  },

  // Credit repair (信用修复): two regimes chosen by the application date.
  {
    key: 'repair.acceptPeriod',
    period: wd(3),
    effectiveFrom: '2023-05-01',
    effectiveTo: ORDER_36_FROM,
    source: '国家发展改革委令2023年第58号；受理时限本市配置',
    confirmed: false,
  },
  {
    key: 'repair.decisionPeriod',
    period: wd(7),
    effectiveFrom: '2023-05-01',
    effectiveTo: ORDER_36_FROM,
    source: '国家发展改革委令2023年第58号；审核决定时限本市配置',
    confirmed: false,
  },
  {
    key: 'repair.totalPeriod',
    period: wd(10),
    effectiveFrom: '2023-05-01',
    effectiveTo: ORDER_36_FROM,
    source: '本市配置（令第58号未规定总时限）',
    confirmed: false,
  },
  {
    key: 'repair.acceptPeriod',
    period: wd(2),
    effectiveFrom: ORDER_36_FROM,
    source: '国办发〔2025〕22号：“信用中国”网站10个工作日内反馈；受理转办时限本市配置',
    confirmed: false,
  },
  {
    key: 'repair.decisionPeriod',
    period: wd(3),
    effectiveFrom: ORDER_36_FROM,
    source: '国办发〔2025〕22号：认定单位收到申请后3个工作日内作出决定',
    confirmed: true,
  },
  {
    key: 'repair.totalPeriod',
    period: wd(10),
    effectiveFrom: ORDER_36_FROM,
    source: '国办发〔2025〕22号：10个工作日内向申请人反馈结果',
    confirmed: true,
  },
  {
    key: 'repair.minPeriod.minor',
    period: months(0),
    effectiveFrom: '2023-05-01',
    source: '轻微失信信息：履行义务后即可修复（国办发〔2025〕22号）',
    confirmed: true,
  },
  {
    key: 'repair.minPeriod.general',
    period: months(3),
    effectiveFrom: '2023-05-01',
    source: '一般失信信息：公示满3个月（令第58号；令第36号）',
    confirmed: true,
  },
  {
    key: 'repair.minPeriod.serious',
    period: months(12),
    effectiveFrom: '2023-05-01',
    source: '严重失信信息：公示满1年（令第58号；令第36号）',
    confirmed: true,
  },
  {
    key: 'repair.reapplyAfterRejection',
    period: days(30),
    effectiveFrom: '2023-05-01',
    source: '本市配置：申请被驳回后30日内不得就同一信息再次申请',
    confirmed: false,
  },
  {
    key: 'repair.maxApprovedPerFiveYears',
    period: count(2),
    effectiveFrom: '2023-05-01',
    effectiveTo: ORDER_36_FROM,
    source: '参照地方做法：5年内修复不超过2次',
    confirmed: false,
  },
  {
    key: 'repair.maxApprovedPerFiveYears',
    period: count(1),
    effectiveFrom: ORDER_36_FROM,
    source: '令第36号“屡禁不止、屡罚不改”限制的本市执行口径：5年内同一主体修复不超过1次',
    confirmed: false,
  },

  // Credit records (信用档案) and credit reports (信用报告).
  {
    key: 'publicity.max.other',
    period: months(60),
    effectiveFrom: '2017-09-28',
    source:
      '失信信息披露期限一般不超过5年（《山东省社会信用条例》第三十八条、《浙江省公共信用信息管理条例》第十六条、河南省条例）；本市配置',
    confirmed: false,
  },
  {
    key: 'report.maxPeriod',
    period: months(60),
    effectiveFrom: '2025-06-01',
    source: '发改财金〔2025〕565号配套口径：信用报告查询期间由主体选择，最长5年',
    confirmed: true,
  },
  {
    key: 'report.defaultPeriod',
    period: months(36),
    effectiveFrom: '2025-06-01',
    source: '本市配置：未选择期间时，出具近3年的信用报告',
    confirmed: false,
  },
  {
    key: 'report.departmentCheckValidity',
    period: days(30),
    effectiveFrom: '2025-06-01',
    source: '本市配置：部门在逢办必查核查后30日内可为所办理主体出具信用报告',
    confirmed: false,
  },
  {
    key: 'authorisation.maxValidity',
    period: months(12),
    effectiveFrom: '2025-06-01',
    source: '本市配置：主体授权第三方查询信用报告，每次授权最长1年',
    confirmed: false,
  },
];

/** Rows the credit office added to its own periods (db/rules-store.ts installs them); empty until then. */
let officeRows: readonly Rule[] = [];
let combined: readonly Rule[] = RULES;

/** Installs the office's rows beside the table above (the worker and the API load them from MongoDB). */
export function installOfficeRules(rows: readonly Rule[]): void {
  officeRows = rows;
  combined = rows.length ? [...RULES, ...rows] : RULES;
}

/** The table in force in this process: the rows above and the office's. */
export function currentRules(): readonly Rule[] {
  return combined;
}

/** The office's rows installed in this process. */
export function officeRules(): readonly Rule[] {
  return officeRows;
}

/** The value of a rule in whatever unit it is kept. */
export function ruleValue(key: RuleKey, date: string, table: readonly Rule[] = currentRules()): Period {
  return ruleFor(key, date, table).period;
}

export class RuleNotFoundError extends Error {}

/** The rule row in force on `date` for `key`. Throws when none is: a gap in the table is a bug. */
export function ruleFor(key: RuleKey, date: string, table: readonly Rule[] = currentRules()): Rule {
  const rows = table.filter(
    (r) => r.key === key && r.effectiveFrom <= date && (!r.effectiveTo || date < r.effectiveTo),
  );
  if (rows.length === 0) throw new RuleNotFoundError(`no rule ${key} in force on ${date}`);
  // the newest row wins where two overlap
  return rows.reduce((a, b) => (b.effectiveFrom > a.effectiveFrom ? b : a));
}

/** Whether some row of `key` is in force on `date` (ruleFor would not throw). */
export function ruleInForce(key: RuleKey, date: string, table: readonly Rule[] = currentRules()): boolean {
  return table.some((r) => r.key === key && r.effectiveFrom <= date && (!r.effectiveTo || date < r.effectiveTo));
}

export function workingDaysRule(key: RuleKey, date: string, table: readonly Rule[] = currentRules()): number {
  const { period } = ruleFor(key, date, table);
  if (period.unit !== 'working_days') throw new Error(`rule ${key} is in ${period.unit}, not working days`);
  return period.value;
}

export function monthsRule(key: RuleKey, date: string, table: readonly Rule[] = currentRules()): number | undefined {
  try {
    const { period } = ruleFor(key, date, table);
    if (period.unit !== 'months') throw new Error(`rule ${key} is in ${period.unit}, not months`);
    return period.value;
  } catch (e) {
    if (e instanceof RuleNotFoundError) return undefined;
    throw e;
  }
}
