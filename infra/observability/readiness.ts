/**
 * Readiness of a process: named checks (MongoDB reachable, Temporal reachable, the live index fresh,
 * the worker polling), each bounded by a timeout so a probe never hangs on a server that is down, and
 * a draining flag that SIGTERM sets first, so the load balancer stops sending before the process stops.
 */
import type { Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import type mongoose from 'mongoose';

/** Resolves when the thing is ready; rejects with what is wrong (shown in the /readyz answer). */
export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

export class Readiness {
  private draining = false;
  constructor(
    private readonly checks: Record<string, ReadinessCheck>,
    private readonly timeoutMs = 2000,
  ) {}

  drain(): void {
    this.draining = true;
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, string> = {};
    if (this.draining) checks.process = 'draining: stopping after SIGTERM / 正在停止';
    await Promise.all(
      Object.entries(this.checks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
            }),
          ]);
          checks[name] = 'ok';
        } catch (e) {
          checks[name] = (e as Error).message;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
  }
}

export const mongoReachable =
  (m: typeof mongoose): ReadinessCheck =>
  async () => {
    const db = m.connection.db;
    if (!db || m.connection.readyState !== 1) throw new Error('MongoDB not connected');
    await db.command({ ping: 1 }); // goes to the primary: fails (by the timeout) while the set has none
  };

export const temporalReachable =
  (c: Pick<Connection, 'withDeadline' | 'workflowService'> | NativeConnection): ReadinessCheck =>
  async () => {
    await c.withDeadline(Date.now() + 2000, () => c.workflowService.getSystemInfo({}));
  };
