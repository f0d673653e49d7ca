/**
 * `npm run demo` — fills a running `npm start` with a small, realistic picture through the API: black
 * and red listings of several categories, one still in its notice period, tasks acknowledged and
 * reported, checks made, an objection by the demo subject. Everything goes
 * through the same endpoints people use, so the workflows do the real work. Running it again lists
 * nothing twice (listings are keyed by decision number) and files no second objection; it does record
 * more checks and acknowledge more tasks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cstDate } from '../domain/calendar';
import { idCheckDigit, usccCheckChar } from '../domain/identifiers';
import { loadConfig } from './config';

const uscc = (n: number) => {
  const first17 = `9113090${String(n).padStart(10, '0')}`;
  return first17 + usccCheckChar(first17);
};
const idNumber = (n: number) => {
  const first17 = `13090219850715${String(n).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
};
const day = (offset: number) => cstDate(new Date(Date.now() + offset * 86_400_000));

const TAX_AUTHORITY = '国家税务总局沧州市税务局';
const DEMO_SUBJECT = { type: 'enterprise', uscc: '914403001922038216', name: '示例科技有限公司' };

interface Seed {
  subject: Record<string, string>;
  listKind: 'black' | 'red';
  category: string;
  severity?: string;
  authority: string;
  document: string;
  reason: string;
  decisionNo: string;
  /** Days ago the decision (and, with it, the prior notice) was served; 0 = notice period still running. */
  servedDaysAgo: number;
}

const SEEDS: Seed[] = [
  {
    subject: DEMO_SUBJECT,
    listKind: 'black',
    category: 'major_tax_violation',
    severity: 'serious',
    authority: TAX_AUTHORITY,
    document: '《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）',
    reason: '虚开增值税专用发票，情节严重',
    decisionNo: '沧税稽罚〔2026〕101号',
    servedDaysAgo: 400,
  },
  {
    subject: DEMO_SUBJECT,
    listKind: 'black',
    category: 'major_tax_violation',
    severity: 'general',
    authority: TAX_AUTHORITY,
    document: '《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）',
    reason: '逃避追缴欠税，经催缴仍未缴纳',
    decisionNo: '沧税稽罚〔2026〕117号',
    servedDaysAgo: 30,
  },
  {
    subject: { type: 'enterprise', uscc: uscc(1), name: '沧州市恒达建材有限公司' },
    listKind: 'black',
    category: 'procurement_serious_violation',
    severity: 'serious',
    authority: '沧州市财政局',
    document: '《中华人民共和国政府采购法》',
    reason: '提供虚假材料谋取中标',
    decisionNo: '沧财采罚〔2026〕8号',
    servedDaysAgo: 25,
  },
  {
    subject: { type: 'enterprise', uscc: uscc(2), name: '沧州市宏远劳务有限公司' },
    listKind: 'black',
    category: 'wage_arrears',
    severity: 'serious',
    authority: '沧州市人力资源和社会保障局',
    document: '《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》',
    reason: '拖欠农民工工资数额较大，经责令仍未支付',
    decisionNo: '沧人社监〔2026〕21号',
    servedDaysAgo: 20,
  },
  {
    subject: { type: 'enterprise', uscc: uscc(3), name: '沧州市鑫源化工有限公司' },
    listKind: 'black',
    category: 'environmental_serious',
    severity: 'general',
    authority: '沧州市生态环境局',
    document: '《中华人民共和国环境保护法》',
    reason: '超标排放污染物，拒不改正',
    decisionNo: '沧环罚〔2026〕33号',
    servedDaysAgo: 15,
  },
  {
    subject: { type: 'enterprise', uscc: uscc(4), name: '沧州市安泰矿业有限公司' },
    listKind: 'black',
    category: 'work_safety_serious',
    severity: 'serious',
    authority: '沧州市应急管理局',
    document: '《安全生产严重失信主体名单管理办法》',
    reason: '发生生产安全责任事故，瞒报事故',
    decisionNo: '沧应急罚〔2026〕5号',
    servedDaysAgo: 12,
  },
  {
    subject: { type: 'individual', idNumber: idNumber(7), name: '王某某' },
    listKind: 'black',
    category: 'dishonest_judgment_debtor',
    severity: 'serious',
    authority: '沧州市中级人民法院',
    document: '《最高人民法院关于公布失信被执行人名单信息的若干规定》',
    reason: '有履行能力而拒不履行生效法律文书确定的义务',
    decisionNo: '（2026）冀09执恢12号',
    servedDaysAgo: 10,
  },
  {
    subject: { type: 'enterprise', uscc: uscc(5), name: '沧州市正信会计服务有限公司' },
    listKind: 'black',
    category: 'market_serious_violation',
    severity: 'general',
    authority: '沧州市市场监督管理局',
    document: '《市场监督管理严重违法失信名单管理办法》',
    reason: '提交虚假材料取得登记',
    decisionNo: '沧市监罚〔2026〕48号',
    servedDaysAgo: 0,
  },
  {
    subject: { type: 'enterprise', uscc: uscc(6), name: '沧州市诚达物流股份有限公司' },
    listKind: 'red',
    category: 'tax_a_level',
    authority: TAX_AUTHORITY,
    document: '《纳税信用管理办法》',
    reason: '2025年度纳税信用评价为A级',
    decisionNo: '沧税信〔2026〕A-006号',
    servedDaysAgo: 60,
  },
  {
    subject: { type: 'enterprise', uscc: uscc(8), name: '沧州市永信机械制造有限公司' },
    listKind: 'red',
    category: 'contract_abiding',
    authority: '沧州市市场监督管理局',
    document: '《河北省守合同重信用企业公示活动管理办法》',
    reason: '连续三年守合同重信用',
    decisionNo: '沧市监信〔2026〕12号',
    servedDaysAgo: 45,
  },
];

type Tokens = Record<string, string>;

export async function seedDemo(
  api: string,
  tokens: Tokens,
  log: (s: string) => void = console.log,
): Promise<{ entries: string[] }> {
  const call = async (token: string, method: string, p: string, body?: unknown) => {
    const res = await fetch(api + p, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json().catch(() => ({}))) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    return { status: res.status, json };
  };
  const entries: string[] = [];
  for (const s of SEEDS) {
    const served = day(-s.servedDaysAgo);
    const severe = s.severity === 'serious';
    const months = s.listKind === 'red' ? 24 : severe ? 36 : 12;
    const r = await call(tokens.office, 'POST', '/office/listings', {
      subject: s.subject,
      listKind: s.listKind,
      category: s.category,
      ...(s.severity ? { severity: s.severity } : {}),
      authority: s.authority,
      legalBasis: [{ document: s.document }],
      decisionDocument: { number: s.decisionNo, date: served },
      reason: s.reason,
      ...(s.servedDaysAgo > 0 ? { noticeServedOn: served } : {}),
      effectiveDate: s.servedDaysAgo > 0 ? served : day(0),
      validUntil: cstDate(new Date(Date.parse(`${served}T00:00:00+08:00`) + (months * 30 - 10) * 86_400_000)),
    });
    if (r.status >= 300) throw new Error(`listing ${s.decisionNo}: ${r.status} ${JSON.stringify(r.json)}`);
    entries.push(r.json.entryId);
    log(`  ${r.json.created ? '列入' : '已存在'} ${s.subject.name} · ${s.decisionNo}`);
  }
  // wait for the fan-out of the effective ones
  for (let i = 0; i < 60; i++) {
    const inbox = await call(tokens.tax, 'GET', '/departments/me/inbox');
    if (((inbox.json as { items?: unknown[] } | undefined)?.items?.length ?? 0) >= 3) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  // departments at work: tax acknowledges and reports; finance acknowledges one
  const inbox = (
    (await call(tokens.tax, 'GET', '/departments/me/inbox?status=pending')).json as {
      items: Array<{ taskId: string; listKind: string; measures: Array<{ id: string }> }>;
    }
  ).items;
  for (const [i, t] of inbox.slice(0, 3).entries()) {
    await call(tokens.tax, 'POST', `/departments/me/tasks/${t.taskId}/acknowledgement`, { note: '已签收，按清单执行' });
    if (i === 0)
      await call(tokens.tax, 'POST', `/departments/me/tasks/${t.taskId}/feedback`, {
        matter: 'tax_incentive',
        measureIds: [t.measures[0].id],
        appliedOn: day(0),
        outcome: '已停止其享受税收优惠政策',
      });
  }
  const fin = (await call(tokens.finance ?? tokens.office, 'GET', '/departments/me/inbox?status=pending')).json?.items;
  if (Array.isArray(fin) && fin[0])
    await call(tokens.finance, 'POST', `/departments/me/tasks/${fin[0].taskId}/acknowledgement`, {});
  // 逢办必查 by the tax department
  for (const sid of [DEMO_SUBJECT.uscc, uscc(6), uscc(3)])
    await call(tokens.tax, 'POST', '/departments/me/checks', { subjectId: sid, matter: 'tax_incentive' });
  // the demo subject objects to its second (general) entry
  const records = (await call(tokens['subject-demo'], 'GET', '/subjects/me/records')).json as Array<{
    entryId: string;
    severity?: string;
    openCases: unknown[];
    status: string;
  }>;
  const general = records.find((r) => r.severity === 'general' && r.status !== 'closed');
  if (general && general.openCases.length === 0) {
    const o = await call(tokens['subject-demo'], 'POST', '/subjects/me/objections', {
      entryId: general.entryId,
      reason: '欠税已于决定作出前缴清，认定事实有误',
      evidence: [{ name: '完税证明.pdf' }],
    });
    log(`  异议 ${o.status === 201 ? o.json.caseId : JSON.stringify(o.json.error)}`);
  }
  return { entries };
}

async function main() {
  const cfg = loadConfig();
  const api = process.env.XINLIAN_API ?? `http://127.0.0.1:${cfg.apiPort}/api/v1`;
  let tokens: Tokens;
  try {
    tokens = JSON.parse(readFileSync(path.join(cfg.dataDir, 'dev-tokens.json'), 'utf8'));
  } catch {
    console.error(`没有找到开发账号令牌（${path.join(cfg.dataDir, 'dev-tokens.json')}）：请先运行 npm start。`);
    process.exit(1);
  }
  console.log(`向 ${api} 写入演示数据 …`);
  try {
    const r = await seedDemo(api, tokens);
    console.log(`完成：${r.entries.length} 条名单条目。打开网页查看。`);
  } catch (e) {
    console.error(
      `写入演示数据失败：${(e as Error).message}${(e as Error).message.includes('fetch failed') ? '（先运行 npm start）' : ''}`,
    );
    process.exit(1);
  }
}

if (require.main === module) void main();
