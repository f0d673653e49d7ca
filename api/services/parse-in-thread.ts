/**
 * Reads and checks an import file (a list file or a credit-record file) on a worker thread: a large file
 * takes seconds of CSV/XLSX parsing and row checks, which must not stall the API's event loop (the 逢办必查
 * check path shares it). The rows come back in batches, so taking them in never blocks for long either.
 */
import { Worker } from 'node:worker_threads';
import type { ParsedRecordFile, RecordFileContext } from '../../domain/credit-record-file';
import type { ParsedImport } from '../../domain/import-file';
import { WholeFileError } from '../../domain/spreadsheet';

const BATCH = 2000;

// Runs in the thread. From TypeScript source (the tests), the thread compiles the modules it loads with
// swc, as Jest does in the main thread; from dist/ it loads the compiled JavaScript.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.swc) {
  const swc = require(workerData.swc);
  const fs = require('node:fs');
  require.extensions['.ts'] = (m, file) =>
    m._compile(
      swc.transformSync(fs.readFileSync(file, 'utf8'), {
        filename: file,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      }).code,
      file,
    );
}
const { WholeFileError } = require(workerData.spreadsheet);
require(workerData.module)[workerData.parse](workerData.bytes, workerData.hint, workerData.context).then(
  (parsed) => {
    for (let i = 0; i < parsed.rows.length; i += ${BATCH}) {
      parentPort.postMessage({ rows: parsed.rows.slice(i, i + ${BATCH}) });
    }
    parentPort.postMessage({ done: { format: parsed.format, encoding: parsed.encoding } });
  },
  (e) => parentPort.postMessage({ error: String(e && e.message), wholeFile: e instanceof WholeFileError }),
);
`;

/** What a kind of file parses into, and the module and function that parse it. */
interface Parsers {
  listings: ParsedImport;
  credit_records: ParsedRecordFile;
}
const PARSERS: Record<keyof Parsers, { module: string; parse: string }> = {
  listings: { module: '../../domain/import-file', parse: 'parseImportFile' },
  credit_records: { module: '../../domain/credit-record-file', parse: 'parseCreditRecordFile' },
};

type Parsed = ParsedImport | ParsedRecordFile;
type Message = { rows: Parsed['rows'] } | { done: Omit<ParsedImport, 'rows'> } | { error: string; wholeFile: boolean };

/** Longest a file may take to read; a 100,000-row XLSX takes well under a minute here. */
export const READ_TIMEOUT_MS = 5 * 60_000;

/**
 * Resolves once the thread has sent every row and exited (so its memory is given back before the
 * caller's slot is); a thread still reading after `timeoutMs` is stopped and the file refused.
 */
export function parseImportFileInThread(
  bytes: Uint8Array,
  hint: { filename?: string; contentType?: string },
  timeoutMs = READ_TIMEOUT_MS,
): Promise<ParsedImport> {
  return parseFileInThread('listings', bytes, hint, undefined, timeoutMs);
}

/** The same for a file of `kind`; `context` is passed to its parser (the uploading department for records). */
export function parseFileInThread<K extends keyof Parsers>(
  kind: K,
  bytes: Uint8Array,
  hint: { filename?: string; contentType?: string },
  context?: RecordFileContext,
  timeoutMs = READ_TIMEOUT_MS,
): Promise<Parsers[K]> {
  const fromSource = __filename.endsWith('.ts');
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: {
      bytes,
      hint,
      context,
      module: require.resolve(PARSERS[kind].module),
      parse: PARSERS[kind].parse,
      spreadsheet: require.resolve('../../domain/spreadsheet'),
      swc: fromSource ? require.resolve('@swc/core') : undefined,
    },
  });
  const rows: Parsed['rows'] = [];
  let result: Parsers[K] | undefined;
  let failure: Error | undefined;
  return new Promise<Parsers[K]>((resolve, reject) => {
    const timer = setTimeout(() => {
      failure = new WholeFileError(
        `读取文件超过 ${Math.round(timeoutMs / 60_000) || 1} 分钟仍未完成，已停止；请检查文件内容，或拆分为较小的文件后重新上传`,
      );
      void worker.terminate();
    }, timeoutMs);
    worker.on('message', (m: Message) => {
      if ('rows' in m) (rows as unknown[]).push(...m.rows);
      else if ('done' in m) result = { ...m.done, rows } as Parsers[K];
      else failure = m.wholeFile ? new WholeFileError(m.error) : new Error(`读取导入文件失败：${m.error}`);
    });
    worker.on('error', (e) => (failure ??= e));
    worker.on('exit', (code) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (result) resolve(result);
      else reject(new Error(`the import parser thread exited with ${code}`));
    });
  });
}
