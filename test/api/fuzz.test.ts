/**
 * Property-based fuzzing of the whole API from its own OpenAPI document with schemathesis (PyPI,
 * installed into .tools/venv), every check on (`--checks all`), as every role and with no token: no
 * 5xx; every status, media type and body as documented; a request that matches the document accepted
 * (or refused by a rule with 422, see schemathesis.toml) and one that does not refused; undeclared
 * methods answered 405 with Allow. schemathesis_hooks.py generates identifiers with valid check
 * characters for the formats the document names.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../infra/paths';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { listingBody } from '../support/fixtures';
import { eventually } from '../support/eventually';

jest.setTimeout(600_000);

const ST = process.env.SCHEMATHESIS_BIN ?? path.join(PROJECT_ROOT, '.tools', 'venv', 'bin', 'schemathesis');
let stack: ApiStack;

beforeAll(async () => {
  if (!existsSync(ST))
    throw new Error(
      `schemathesis not found at ${ST}: run "npm install" (it installs it into .tools/venv) or set SCHEMATHESIS_BIN`,
    );
  stack = await startApiStack('fuzz');
  // some data so that generated ids can meet real documents
  const office = await stack.token({ sub: 'o', name: '信用办', role: 'office' });
  const r = await stack.call('POST', '/api/v1/office/listings', { token: office, body: listingBody() });
  await eventually(
    async () =>
      expect(
        (await stack.call('GET', `/api/v1/office/listings/${r.body.entryId}`, { token: office })).body.taskCount,
      ).toBeGreaterThan(0),
    30_000,
  );
});
afterAll(() => stack?.stop());

const HERE = path.join(PROJECT_ROOT, 'test', 'api');

const ROLES = [
  { role: 'office' as const },
  { role: 'department' as const, departmentId: 'tax' },
  { role: 'authority' as const, authority: '国家税务总局沧州市税务局' },
  { role: 'subject' as const, subjectId: '9144030071526726XG' },
  { role: 'auditor' as const },
  { role: 'third_party' as const, subjectId: '91130900MA0CNB7K2J' },
  { role: 'county_office' as const, orgId: 'botou' },
  { role: 'platform' as const },
  { role: 'none' as const },
];

it.each(ROLES)('finds nothing with every check as $role', async (p) => {
  const auth =
    p.role === 'none'
      ? []
      : [
          '--header',
          `Authorization: Bearer ${await stack.token({ sub: `fuzz-${p.role}`, name: `模糊测试-${p.role}`, ...p })}`,
        ];
  const run = promisify(execFile);
  try {
    const { stdout } = await run(
      ST,
      [
        '--config-file',
        path.join(HERE, 'schemathesis.toml'),
        'run',
        `${stack.base}/openapi.json`,
        '--checks',
        'all',
        '--max-examples',
        '15',
        ...auth,
        '--seed',
        '1',
        '--request-timeout',
        '60',
        '--no-color',
      ],
      {
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, PYTHONPATH: HERE, SCHEMATHESIS_HOOKS: 'schemathesis_hooks' },
      },
    );
    // exit status 0 means no failure; the summary shows it ran over the whole document
    expect(stdout).toMatch(/API Operations:\s+Selected: (\d+)\/\1\s+Tested: \1/);
    expect(stdout).not.toMatch(/={3,} (FAILURES|ERRORS) ={3,}/);
  } catch (e) {
    const out = (e as { stdout?: string }).stdout ?? String(e);
    // the failures in full (each with its check's name and a curl to reproduce it), then the summary
    const failures = out.match(/={3,} (?:FAILURES|ERRORS) ={3,}[\s\S]*?(?=={3,} SUMMARY)/)?.[0] ?? '';
    throw new Error(`schemathesis found failures as ${p.role}:\n${failures.slice(0, 24_000)}\n…\n${out.slice(-3000)}`);
  }
});
