/**
 * `npm run import -- <file> [--api http://127.0.0.1:3000] [--token …]`: uploads a list file (CSV or
 * XLSX) through the API, shows a progress bar until the import is done, then prints a summary with
 * every refused row (the first 50, and the path of the full list it saved, when there are more).
 *
 * The token is --token, else XINLIAN_TOKEN, else the office token `npm start` wrote to
 * .data/dev-tokens.json. Exit codes: 0 the import completed (refused rows included); 1 the server is
 * unreachable, the token is refused, or the import failed; 2 the file cannot be imported at all.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { XLSX_TYPE } from '../domain/spreadsheet';
import type { ImportView } from '../api/schemas';
import { loadConfig } from './config';

const SHOWN = 50;
const POLL_MS = 500;

class Exit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
/** The API did not answer at all (not started, restarting). */
class Unreachable extends Exit {}

function options() {
  const { values, positionals } = parseArgs({
    options: { api: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1) {
    throw new Exit(
      values.help ? 0 : 2,
      '用法：npm run import -- <名单文件.csv|.xlsx> [--api http://127.0.0.1:3000] [--token 令牌]',
    );
  }
  const cfg = loadConfig();
  return {
    file: positionals[0],
    api: (values.api ?? `http://127.0.0.1:${cfg.apiPort}`).replace(/\/+$/, ''),
    token: values.token ?? process.env.XINLIAN_TOKEN ?? devToken(cfg.dataDir),
  };
}

function devToken(dataDir: string): string {
  const file = path.join(dataDir, 'dev-tokens.json');
  const token = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { office?: string }).office : undefined;
  if (!token)
    throw new Exit(
      1,
      `没有可用的令牌：先运行 npm start（会生成 ${file}），或用 --token 或环境变量 XINLIAN_TOKEN 提供信用办（office）令牌`,
    );
  return token;
}

const typeOf = (file: string) =>
  /\.csv$/i.test(file) ? 'text/csv' : /\.xlsx$/i.test(file) ? XLSX_TYPE : 'application/octet-stream';

/** One API call; a connection failure becomes exit 1 with what to do about it. */
async function call(api: string, token: string, pathname: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(api + pathname, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new Unreachable(1, `无法连接信联 API（${api}，${why}）：先运行 npm start 启动服务，或用 --api 指定地址`);
  }
}

async function failure(res: Response): Promise<Exit> {
  const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  const message = body.error?.message ?? res.statusText;
  // 400: not a list file of the documented kind; 422: a CSV/XLSX whose content cannot be imported
  if ([400, 413, 415, 422].includes(res.status)) return new Exit(2, `文件无法导入：${message}`);
  if (res.status === 401) return new Exit(1, `令牌无效或已过期：${message}（开发令牌由 npm start 重新生成）`);
  if (res.status === 403) return new Exit(1, '当前令牌无权导入：需要信用办（office）令牌');
  return new Exit(1, `导入失败（HTTP ${res.status}）：${message}`);
}

async function upload(api: string, token: string, file: string): Promise<ImportView> {
  if (!existsSync(file)) throw new Exit(2, `找不到文件：${file}`);
  const res = await call(api, token, `/api/v1/office/imports?filename=${encodeURIComponent(path.basename(file))}`, {
    method: 'POST',
    headers: { 'content-type': typeOf(file) },
    body: readFileSync(file),
  });
  if (res.status !== 202) throw await failure(res);
  return (await res.json()) as ImportView;
}

/** Polls the import until it is no longer running, drawing the bar (on a terminal). */
async function follow(api: string, token: string, first: ImportView): Promise<ImportView> {
  const bar = new SingleBar({
    format: '启动名单流程 [{bar}] {percentage}% | {value}/{total} 行 | 新建 {created} | 已存在 {existing}',
    hideCursor: true,
    stream: process.stderr,
  });
  if (first.valid > 0) bar.start(first.valid, first.processed, { created: first.created, existing: first.existing });
  let view = first;
  let unreachableSince: number | undefined;
  try {
    while (view.status === 'running') {
      await new Promise((r) => setTimeout(r, POLL_MS));
      try {
        const res = await call(api, token, `/api/v1/office/imports/${view.importId}`);
        if (!res.ok) throw await failure(res);
        view = (await res.json()) as ImportView;
        unreachableSince = undefined;
      } catch (e) {
        // the API may be restarting: the import goes on in the workflow; give it a minute
        unreachableSince ??= Date.now();
        if (!(e instanceof Unreachable) || Date.now() - unreachableSince > 60_000) throw e;
        continue;
      }
      bar.update(view.processed, { created: view.created, existing: view.existing });
    }
  } finally {
    bar.stop();
  }
  return view;
}

async function summary(api: string, token: string, file: string, v: ImportView): Promise<string[]> {
  const lines = [
    `${v.status === 'completed' ? '导入完成' : '导入失败'}（导入编号 ${v.importId}）`,
    `  文件：${v.filename}（${v.format.toUpperCase()}），数据 ${v.total} 行`,
    `  接受：${v.processed} 行（新建 ${v.created} 条，已存在 ` +
      `${v.existing} 条）${v.processed < v.valid ? `，另有 ${v.valid - v.processed} 行未启动` : ''}`,
    `  拒绝：${v.refused} 行${v.refused ? '' : '。'}`,
    ...v.refusedRows.slice(0, SHOWN).map((r) => `    第 ${r.line} 行${r.field ? ` ${r.field}` : ''}：${r.reason}`),
  ];
  if (v.refused > SHOWN) {
    const res = await call(api, token, `/api/v1/office/imports/${v.importId}/refused.csv`);
    const csv = Buffer.from(await res.arrayBuffer());
    const name = `${path.basename(file, path.extname(file))}_被拒绝的行_${v.importId}.csv`;
    let saved = path.resolve(path.dirname(file), name);
    try {
      writeFileSync(saved, csv);
    } catch {
      saved = path.join(os.tmpdir(), name);
      writeFileSync(saved, csv);
    }
    lines.push(`    ……（只显示前 ${SHOWN} 行；全部 ${v.refused} 行已保存到 ${saved}）`);
  }
  if (v.error) lines.push(`  原因：${v.error}`);
  return lines;
}

async function main(): Promise<number> {
  const { file, api, token } = options();
  const first = await upload(api, token, file);
  process.stderr.write(
    `已上传 ${first.filename}：共 ${first.total} 行，校验通过 ${first.valid} 行，拒绝 ${first.refused} 行；正在启动名单流程…\n`,
  );
  process.once('SIGINT', () => {
    process.stderr.write(`\n已停止跟踪；导入仍在服务器上继续，进度见 ${api}/api/v1/office/imports/${first.importId}\n`);
    process.exit(130);
  });
  const done = await follow(api, token, first);
  console.log((await summary(api, token, file, done)).join('\n'));
  return done.status === 'completed' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof Exit) {
      (e.code === 0 ? console.log : console.error)(e.message);
      process.exit(e.code);
    }
    console.error(`导入出错：${(e as Error).message}`);
    process.exit(1);
  },
);
