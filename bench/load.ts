/** Load generation with autocannon: POST bodies for random subjects, throughput and latency. */
import { fork, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function runLoad(opts: {
  url: string;
  token?: string;
  body: () => string;
  seconds: number;
  connections: number;
}): Promise<LoadResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const r = await autocannon({
    url: opts.url,
    method: 'POST',
    connections: opts.connections,
    duration: opts.seconds,
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, body: opts.body() }) }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

/** The servers started and not yet exited: stopped with this process, however it ends (an interrupted run). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/** Starts a benchmark server as a child process and waits for its "ready" message. */
export async function startServer(
  script: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  execArgv: string[] = [],
): Promise<ChildProcess> {
  const child = fork(script, args, {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return child;
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return; // already stopped
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}
