/** Runs the Temporal CLI dev server with its SQLite file on disk (data survives a restart). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { findBinary } from './binaries';
import { launch, portOpen, waitForPort, type Launched } from './process';

export async function startTemporalDev(opts: {
  dir: string;
  port: number;
  uiPort: number;
  logDir: string;
  namespace: string;
}): Promise<Launched> {
  for (const port of [opts.port, opts.uiPort]) {
    if (await portOpen(port)) {
      throw new Error(
        `port ${port} is already in use; stop what uses it, set ` +
          `TEMPORAL_PORT/TEMPORAL_UI_PORT, or TEMPORAL_ADDRESS for an existing server`,
      );
    }
  }
  mkdirSync(opts.dir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    path.join(opts.dir, 'temporal.sqlite'),
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--namespace',
    opts.namespace,
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=NORMAL',
    '--sqlite-pragma',
    'busy_timeout=5000',
    '--log-level',
    'warn',
  ];
  const p = launch('temporal', findBinary('temporal'), args, opts.logDir);
  try {
    await waitForPort(opts.port, p, 60_000, opts.logDir);
  } catch (e) {
    await p.stop(); // a server that did not come up in time is not left behind
    throw e;
  }
  return p;
}
