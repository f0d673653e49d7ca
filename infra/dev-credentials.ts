/** Dev signing key (kept under the data folder) and ready-made tokens for the embedded default. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TokenService } from '../api/auth';
import type { Catalogue } from '../measures/catalogue';
import type { DevAccount } from '../api/routes/session';
import { seedRegions } from '../domain/cangzhou-divisions';

/** The county of the development accounts at county level: its credit office and its tax bureau. */
const DEV_COUNTY = 'botou';

export function devSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** The ready-made accounts of the embedded default: the office, every department, one authority, one subject, an
 * auditor, a third party. */
export function devAccounts(catalogue: Catalogue): DevAccount[] {
  return [
    { id: 'office', principal: { sub: 'office-dev', name: '信用办（开发账号）', role: 'office' } },
    ...catalogue.departments.map((d) => ({
      id: d.id,
      principal: { sub: `${d.id}-dev`, name: `${d.name}（开发账号）`, role: 'department' as const, departmentId: d.id },
    })),
    ...countyAccounts(catalogue),
    {
      id: 'authority-tax',
      principal: {
        sub: 'authority-tax-dev',
        name: '国家税务总局沧州市税务局（开发账号）',
        role: 'authority',
        authority: '国家税务总局沧州市税务局',
      },
    },
    { id: 'auditor', principal: { sub: 'auditor-dev', name: '审计员（开发账号）', role: 'auditor' } },
    {
      id: 'subject-demo',
      principal: {
        sub: 'subject-914403001922038216',
        name: '示例科技有限公司',
        role: 'subject',
        subjectId: '914403001922038216',
      },
    },
    {
      id: 'third-party-bank',
      principal: {
        sub: 'third-party-91130900MA0CNB7K2J',
        name: '沧州示例银行股份有限公司（第三方）',
        role: 'third_party',
        subjectId: '91130900MA0CNB7K2J',
      },
    },
  ];
}

/**
 * Machine accounts of the embedded default: the provincial platform's exchange client, to try a push
 * (docs/upstream-exchange.md). They have tokens in dev-tokens.json but no place on the sign-in page.
 */
export const DEV_MACHINE_ACCOUNTS: DevAccount[] = [
  {
    id: 'platform',
    principal: { sub: 'platform-dev', name: '河北省社会信用信息共享平台（开发账号）', role: 'platform' },
  },
];

/** 泊头市's credit office and its tax bureau (as the seed names them), when the catalogue has the tax list. */
function countyAccounts(catalogue: Catalogue): DevAccount[] {
  const county = seedRegions(new Set(catalogue.departments.map((d) => d.id))).find((n) => n.id === DEV_COUNTY);
  if (!county) return [];
  const office: DevAccount = {
    id: `county-office-${county.id}`,
    principal: {
      sub: `county-office-${county.id}-dev`,
      name: `${county.creditOffice.name}（开发账号）`,
      role: 'county_office',
      orgId: county.id,
    },
  };
  const tax = county.departments.find((d) => d.measuresList === 'tax');
  if (!tax) return [office];
  return [
    office,
    {
      id: tax.id,
      principal: { sub: `${tax.id}-dev`, name: `${tax.name}（开发账号）`, role: 'department', departmentId: tax.id },
    },
  ];
}

/** Issues a 30-day token per dev account; writes them to <dataDir>/dev-tokens.json. */
export async function writeDevTokens(
  tokens: TokenService,
  accounts: DevAccount[],
  dataDir: string,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const a of accounts) out[a.id] = await tokens.issue(a.principal, '30d');
  writeFileSync(path.join(dataDir, 'dev-tokens.json'), JSON.stringify(out, null, 2), { mode: 0o600 });
  return out;
}
