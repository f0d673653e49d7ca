/** The compiled import CLI (`npm run import`) against a running stack: summary, saved refusals, exit codes. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../infra/paths';
import { freePort } from '../../infra/process';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { csvFile, HEADER, row, validRows, xlsxFile } from '../support/import-files';

const CLI = path.join(PROJECT_ROOT, 'dist', 'infra', 'import-cli.js');

let stack: ApiStack;
let office: string;
let dir: string;

beforeAll(async () => {
  stack = await startApiStack('import_cli');
  office = await stack.token({ sub: 'o1', name: '信用办张科长', role: 'office' });
  dir = mkdtempSync(path.join(os.tmpdir(), 'xinlian-cli-'));
});
afterAll(() => stack.stop());

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { XINLIAN_TOKEN: _t, ...base } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...base, ...env }, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const file = (name: string, bytes: Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

it('uploads a file, follows it to the end, prints every refused row (the first 50; the rest in a file)', async () => {
  const refused = Array.from({ length: 55 }, (_, i) => row({ 主体名称: '', 决定文书号: `命令行〔坏〕${i}号` }));
  const input = file('命令行名单.csv', csvFile([...validRows(5, 'CLI', 5000), ...refused]));
  const r = await run([input, '--api', stack.base, '--token', office]);
  expect(r.stderr).toContain('已上传 命令行名单.csv：共 60 行，校验通过 5 行，拒绝 55 行');
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^导入完成（导入编号 I[0-9a-f]{20}）$/);
  expect(lines).toContain('  文件：命令行名单.csv（CSV），数据 60 行');
  expect(lines).toContain('  接受：5 行（新建 5 条，已存在 0 条）');
  expect(lines).toContain('  拒绝：55 行');
  expect(lines).toContain('    第 7 行 主体名称：不能为空');
  expect(lines.filter((l) => l.startsWith('    第 '))).toHaveLength(50);
  const saved = /全部 55 行已保存到 (.+)）$/.exec(lines[lines.length - 1])?.[1];
  expect(saved).toBeDefined();
  expect(readFileSync(saved!, 'utf8').trim().split('\r\n')).toHaveLength(56);

  // the same file again: everything already exists; the token may come from the data folder npm start writes
  const data = mkdtempSync(path.join(dir, 'data-'));
  writeFileSync(path.join(data, 'dev-tokens.json'), JSON.stringify({ office }));
  const again = await run([await writeXlsx(), '--api', stack.base], { XINLIAN_DATA_DIR: data });
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('接受：5 行（新建 0 条，已存在 5 条）');
  expect(again.stdout).toContain('拒绝：0 行。');
});

const writeXlsx = async () => file('命令行名单.xlsx', await xlsxFile(validRows(5, 'CLI', 5000)));

it('exits 2 with the reason when the file cannot be imported', async () => {
  const header = HEADER.filter((h) => h !== '事由');
  const r = await run([file('缺列.csv', csvFile([row().slice(1)], header)), '--api', stack.base, '--token', office]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('文件无法导入：表头有误：缺少必需的列：事由');
  expect((await run([path.join(dir, '不存在.csv'), '--api', stack.base, '--token', office])).code).toBe(2);
});

it('exits 1 saying to start the server when the API is unreachable', async () => {
  const r = await run([
    file('名单.csv', csvFile(validRows(1, 'CLI-down'))),
    '--api',
    `http://127.0.0.1:${await freePort()}`,
    '--token',
    office,
  ]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('先运行 npm start');
});
