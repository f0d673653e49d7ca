/**
 * A three-member mongod replica set on loopback (the project's mongod binary, infra/binaries.ts), for
 * the failover tests: start, find the primary, kill a member (SIGKILL: no clean step-down), restart it
 * with its data, and wait for a primary. Not for production: there the set is the city's own.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { findBinary } from '../binaries';
import { launch, waitForPort, type Launched } from '../process';

export interface ReplicaSet {
  name: string;
  uri: string;
  ports: number[];
  /** the port of the current primary (waits until there is one) */
  primary(timeoutMs?: number): Promise<number>;
  kill(port: number, signal?: NodeJS.Signals): Promise<void>;
  restart(port: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startReplicaSet(opts: {
  dir: string;
  ports: number[];
  name?: string;
  database?: string;
}): Promise<ReplicaSet> {
  const name = opts.name ?? 'rs0';
  const mongod = findBinary('mongod');
  const members = new Map<number, Launched>();
  const start = async (port: number) => {
    const dbPath = path.join(opts.dir, `m${port}`);
    mkdirSync(dbPath, { recursive: true });
    const p = launch(
      `mongod-${port}`,
      mongod,
      ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1', '--replSet', name, '--quiet'],
      opts.dir,
    );
    members.set(port, p);
    await waitForPort(port, p, 60_000, opts.dir);
  };
  await Promise.all(opts.ports.map(start));
  const first = new MongoClient(`mongodb://127.0.0.1:${opts.ports[0]}/?directConnection=true`);
  try {
    await first.db('admin').command({
      replSetInitiate: {
        _id: name,
        members: opts.ports.map((port, i) => ({ _id: i, host: `127.0.0.1:${port}` })),
        // elections within a few seconds of a primary's death (the default is 10 s)
        settings: { electionTimeoutMillis: 2000, heartbeatIntervalMillis: 500 },
      },
    });
  } finally {
    await first.close();
  }
  const hosts = opts.ports.map((p) => `127.0.0.1:${p}`).join(',');
  const set: ReplicaSet = {
    name,
    uri: `mongodb://${hosts}/${opts.database ?? 'xinlian'}?replicaSet=${name}`,
    ports: opts.ports,
    async primary(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const port of opts.ports) {
          const p = members.get(port);
          if (!p || p.child.exitCode !== null || p.child.signalCode !== null) continue;
          const c = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
            serverSelectionTimeoutMS: 1000,
          });
          try {
            const hello = await c.db('admin').command({ hello: 1 });
            if (hello.isWritablePrimary) return port;
          } catch {
            // down or starting: ask the next
          } finally {
            await c.close();
          }
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`replica set ${name} has no primary after ${timeoutMs / 1000} s; see ${opts.dir}/mongod-*.log`);
    },
    async kill(port, signal = 'SIGKILL') {
      const p = members.get(port);
      if (!p) return;
      const exited = new Promise((r) => p.child.once('exit', r));
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
      else return;
      await exited;
    },
    restart: start,
    async stop() {
      await Promise.all([...members.values()].map((p) => p.stop()));
    },
  };
  await set.primary();
  return set;
}
