/**
 * Temporal test environments on real servers from .tools (no downloads):
 * - time-skipping test server, optionally starting at a chosen instant (libfaketime shifts its clock,
 *   so deadline tests can run across a real holiday such as 1 October);
 * - the CLI dev server, for API integration tests.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { findBinary } from '../../infra/binaries';
import { PROJECT_ROOT } from '../../infra/paths';

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed in this module registry
  }
}

export function libfaketimePath(): string {
  if (process.env.LIBFAKETIME) return process.env.LIBFAKETIME;
  const lib = path.join(PROJECT_ROOT, '.tools', 'venv', 'lib');
  for (const py of readdirSync(lib)) {
    const p = path.join(lib, py, 'site-packages', 'libfaketime', 'vendor', 'libfaketime', 'src', 'libfaketime.so.1');
    try {
      readdirSync(path.dirname(p));
      return p;
    } catch {
      /* next */
    }
  }
  throw new Error(
    'libfaketime not found: run "npm install" (installs it into ' +
      '.tools/venv) or set LIBFAKETIME=/path/to/libfaketime.so.1',
  );
}

/**
 * Time-skipping environment whose clock starts at `startAt` (an ISO instant) when given. The server is
 * started through a small wrapper script that preloads libfaketime: the SDK spawns the server from
 * native code, so the variables must be set on the command itself, not in (Jest's copy of) process.env.
 */
export async function timeSkippingEnv(startAt?: string): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  let executable = findBinary('temporal-test-server');
  if (startAt) {
    const t = new Date(startAt).toISOString();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xinlian-faketime-'));
    const wrapper = path.join(dir, 'temporal-test-server');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec env TZ=UTC LD_PRELOAD='${libfaketimePath()}' FAKETIME='@${t.slice(0, 10)} ` +
        `${t.slice(11, 19)}' FAKETIME_DONT_RESET=1 '${executable}' "$@"\n`,
      { mode: 0o755 },
    );
    executable = wrapper;
  }
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: executable } },
  });
}
export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: findBinary('temporal') },
      ip: '127.0.0.1',
      log: { format: 'pretty', level: 'warn' },
    },
  });
}
