/** 督查考核: per-department figures for a period and the thresholds that flag a department. Pure. */
import { toCsvText } from './csv';

export interface DepartmentCounts {
  departmentId: string;
  departmentName: string;
  tasksReceived: number;
  acknowledged: number;
  acknowledgedOnTime: number;
  escalated: number;
  currentlyOverdue: number;
  withFeedback: number;
  feedbackOverdue: number;
  checks: number;
  checkHits: number;
  hitsWithDecision: number;
}

export interface DepartmentFigures extends DepartmentCounts {
  onTimeAckRate: number | null;
  feedbackRate: number | null;
  decisionRate: number | null;
  flags: string[];
}

export const SUPERVISION_THRESHOLDS = {
  onTimeAckRate: 0.9,
  feedbackRate: 0.8,
  decisionRate: 0.9,
  source: '本市督查考核配置（国发〔2016〕33号 建立跟踪问效机制）',
} as const;

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10000) / 10000);
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

export function figures(c: DepartmentCounts, t = SUPERVISION_THRESHOLDS): DepartmentFigures {
  const onTimeAckRate = rate(c.acknowledgedOnTime, c.tasksReceived);
  const feedbackRate = rate(c.withFeedback, c.tasksReceived);
  const decisionRate = rate(c.hitsWithDecision, c.checkHits);
  const flags: string[] = [];
  if (onTimeAckRate !== null && onTimeAckRate < t.onTimeAckRate)
    flags.push(`按时签收率 ${pct(onTimeAckRate)} 低于 ${pct(t.onTimeAckRate)}`);
  if (feedbackRate !== null && feedbackRate < t.feedbackRate)
    flags.push(`反馈率 ${pct(feedbackRate)} 低于 ${pct(t.feedbackRate)}`);
  if (decisionRate !== null && decisionRate < t.decisionRate)
    flags.push(`命中核查的执行填报率 ${pct(decisionRate)} 低于 ${pct(t.decisionRate)}`);
  if (c.currentlyOverdue > 0) flags.push(`${c.currentlyOverdue} 项任务逾期未签收`);
  return { ...c, onTimeAckRate, feedbackRate, decisionRate, flags };
}

export function totals(rows: DepartmentCounts[]): DepartmentFigures {
  const sum = (k: keyof DepartmentCounts) => rows.reduce((a, r) => a + (r[k] as number), 0);
  return figures({
    departmentId: 'all',
    departmentName: '全市合计',
    tasksReceived: sum('tasksReceived'),
    acknowledged: sum('acknowledged'),
    acknowledgedOnTime: sum('acknowledgedOnTime'),
    escalated: sum('escalated'),
    currentlyOverdue: sum('currentlyOverdue'),
    withFeedback: sum('withFeedback'),
    feedbackOverdue: sum('feedbackOverdue'),
    checks: sum('checks'),
    checkHits: sum('checkHits'),
    hitsWithDecision: sum('hitsWithDecision'),
  });
}

export const CSV_COLUMNS: Array<[keyof DepartmentFigures, string]> = [
  ['departmentId', '部门编码'],
  ['departmentName', '部门'],
  ['tasksReceived', '收到任务'],
  ['acknowledged', '已签收'],
  ['acknowledgedOnTime', '按时签收'],
  ['onTimeAckRate', '按时签收率'],
  ['escalated', '逾期升级'],
  ['currentlyOverdue', '当前逾期未签收'],
  ['withFeedback', '已反馈任务'],
  ['feedbackRate', '反馈率'],
  ['feedbackOverdue', '逾期未反馈'],
  ['checks', '核查次数'],
  ['checkHits', '命中核查'],
  ['hitsWithDecision', '命中后填报执行'],
  ['decisionRate', '执行填报率'],
  ['flags', '预警'],
];

/** CSV with a BOM so spreadsheet programs read the Chinese headers as UTF-8. */
export function toCsv(rows: DepartmentFigures[]): string {
  return toCsvText(
    CSV_COLUMNS.map(([, h]) => h),
    rows.map((r) => CSV_COLUMNS.map(([k]) => r[k])),
  );
}

export interface SupervisionReport {
  id: string;
  from: string;
  to: string;
  computedAt: string;
  departments: DepartmentFigures[];
  totals: DepartmentFigures;
  flagged: Array<{ departmentId: string; departmentName: string; flags: string[] }>;
}

/** The report of a period from its departments' counts: figures, totals and the departments flagged. */
export function supervisionReport(
  from: string,
  to: string,
  computedAt: string,
  rows: DepartmentCounts[],
): SupervisionReport {
  const departments = rows.map((r) => figures(r));
  return {
    id: `${from}_${to}`,
    from,
    to,
    computedAt,
    departments,
    totals: totals(rows),
    flagged: departments
      .filter((d) => d.flags.length)
      .map(({ departmentId, departmentName, flags }) => ({ departmentId, departmentName, flags })),
  };
}
