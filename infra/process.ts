/** Child-process helpers for the embedded servers. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface Launched {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns a server with its output in `<logDir>/<name>.log`; stop() sends SIGTERM and waits. */
export function launch(
  name: string,
  cmd: string,
  args: string[],
  logDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Launched {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Waits for a TCP port to accept connections; fails early if the process exits. */
export async function waitForPort(port: number, p: Launched, timeoutMs: number, logDir: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) {
      throw new Error(
        `${p.name} exited with code ${p.child.exitCode} ` +
          `before listening on ${port}; see ${path.join(logDir, `${p.name}.log`)}`,
      );
    }
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${p.name} did not listen on port ${port} within ${timeoutMs / 1000}s; see ${path.join(logDir, `${p.name}.log`)}`,
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
