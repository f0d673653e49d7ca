/** Dev signing key (kept under the data folder) and ready-made tokens for the embedded default. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TokenService } from '../api/auth';
import type { Catalogue } from '../measures/catalogue';
import type { DevAccount } from '../api/routes/session';

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
