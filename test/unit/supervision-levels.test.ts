/** 督查考核 by level (domain/supervision-levels.ts): grouping by the tree, totals per level, the CSV of a view. */
import { byLevel, levelsCsv } from '../../domain/supervision-levels';
import type { DepartmentCounts } from '../../domain/supervision';
import type { OrgNode } from '../../domain/organisation';

const counts = (departmentId: string, tasksReceived: number, acknowledgedOnTime: number): DepartmentCounts => ({
  departmentId,
  departmentName: departmentId,
  tasksReceived,
  acknowledged: acknowledgedOnTime,
  acknowledgedOnTime,
  escalated: 0,
  currentlyOverdue: 0,
  withFeedback: tasksReceived,
  feedbackOverdue: 0,
  checks: 0,
  checkHits: 0,
  hitsWithDecision: 0,
});
const node = (id: string, name: string, level: OrgNode['level'], departments: string[]): OrgNode => ({
  id,
  name,
  level,
  parentId: level === 'city' ? null : 'cangzhou',
  creditOffice: { name: `${name}信用办` },
  departments: departments.map((d) => ({ id: d, name: `${name}${d}局`, measuresList: d.replace(/^.*-/, '') })),
});
const nodes = [
  node('cangzhou', '沧州市', 'city', ['tax']),
  node('botou', '泊头市', 'county', ['botou-tax', 'botou-finance']),
  node('bohai', '渤海新区', 'zone', []),
];

it("groups the departments' figures by the node holding them, each level with its totals", () => {
  const levels = byLevel([counts('tax', 4, 4), counts('botou-tax', 10, 8), counts('gone', 2, 0)], nodes);
  expect(levels.map((l) => [l.orgId, l.departments.map((d) => d.departmentId), l.totals.tasksReceived])).toEqual([
    ['cangzhou', ['tax', 'gone'], 6],
    ['botou', ['botou-tax', 'botou-finance'], 10],
    ['bohai', [], 0],
  ]);
  const botou = levels[1];
  expect(botou.departments[0]).toMatchObject({ departmentName: '泊头市botou-tax局', onTimeAckRate: 0.8 });
  expect(botou.departments[0].flags).toEqual(['按时签收率 80.0% 低于 90.0%']);
  expect(botou.departments[1]).toMatchObject({ tasksReceived: 0, onTimeAckRate: null, flags: [] });
  expect(botou.totals).toMatchObject({ departmentId: 'botou', departmentName: '泊头市合计', onTimeAckRate: 0.8 });
  expect(levels[0].totals.onTimeAckRate).toBe(0.6667);
});

it("writes the city office's CSV with the city's departments and each region's total only", () => {
  const levels = byLevel([counts('tax', 4, 4), counts('botou-tax', 10, 8)], nodes);
  const lines = levelsCsv(levels, new Set(['botou', 'bohai']))
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  expect(lines.map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
    '层级,地区,部门编码,部门,收到任务',
    '市本级,沧州市,tax,沧州市tax局,4',
    '市本级,沧州市,cangzhou,沧州市合计,4',
    '县（市、区）,泊头市,botou,泊头市合计,10',
    '园区,渤海新区,bohai,渤海新区合计,0',
  ]);
});
