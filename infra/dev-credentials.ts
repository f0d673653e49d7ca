/** Dev signing key (kept under the data folder) and ready-made tokens for the embedded default. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TokenService } from '../api/auth';
import type { Catalogue } from '../measures/catalogue';

export function devSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** Issues one token for the office and one per department; writes them to <dataDir>/dev-tokens.json. */
export async function writeDevTokens(tokens: TokenService, catalogue: Catalogue, dataDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = { office: await tokens.issue({ sub: 'office-dev', name: '信用办（开发账号）', role: 'office' }, '30d') };
  for (const d of catalogue.departments) {
    out[d.id] = await tokens.issue({ sub: `${d.id}-dev`, name: `${d.name}（开发账号）`, role: 'department', departmentId: d.id }, '30d');
  }
  out['authority-tax'] = await tokens.issue({ sub: 'authority-tax-dev', name: '国家税务总局沧州市税务局（开发账号）', role: 'authority', authority: '国家税务总局沧州市税务局' }, '30d');
  out.auditor = await tokens.issue({ sub: 'auditor-dev', name: '审计员（开发账号）', role: 'auditor' }, '30d');
  out['subject-demo'] = await tokens.issue({ sub: 'subject-914403001922038216', name: '示例科技有限公司', role: 'subject', subjectId: '914403001922038216' }, '30d');
  writeFileSync(path.join(dataDir, 'dev-tokens.json'), JSON.stringify(out, null, 2), { mode: 0o600 });
  return out;
}
