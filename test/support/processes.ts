/**
 * The API and the worker as separate processes from dist/ (`npm test` builds first), the way
 * `npm run api` and `npm run worker` run them: spawned with an environment, their JSON log lines
 * collected, ready when they say so over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../infra/paths';

export const API_MAIN = path.join(PROJECT_ROOT, 'dist', 'infra', 'api-main.js');
export const WORKER_MAIN = path.join(PROJECT_ROOT, 'dist', 'infra', 'worker-main.js');

export interface Proc {
  child: ChildProcess;
  /** every stdout line parsed as JSON (non-JSON lines as { raw }) */
  lines: Array<Record<string, unknown>>;
  stderr(): string;
  /** resolves with the exit code (or the signal's name) */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Spawns a process; does not wait for it to be ready (see `ready`). */
export function spawnMain(script: string, env: Record<string, string | undefined>): Proc {
  const child = fork(script, [], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buf = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ raw: line });
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Waits for the process's 'ready' message; rejects with its stderr if it exits first. */
export async function ready(p: Proc, ms = 90_000): Promise<Proc> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${ms} ms: ${p.stderr()}`)), ms);
    p.child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    void p.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready: ${p.stderr()}`));
    });
  });
  return p;
}
