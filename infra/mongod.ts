/**
 * Runs a local mongod as a single-node replica set (transactions and change streams need one) with
 * its data on disk. Initiates the set on first start; a restart reuses the data directory.
 *
 * Hand-written rather than mongodb-memory-server: that library manages temporary instances, while
 * the embedded default needs a persistent, re-startable data directory.
 */
import { mkdirSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { findBinary } from './binaries';
import { launch, portOpen, waitForPort, type Launched } from './process';

export interface LocalMongo {
  uri: string;
  process: Launched;
}

export async function startLocalMongo(opts: { dbPath: string; port: number; logDir: string }): Promise<LocalMongo> {
  if (await portOpen(opts.port)) {
    throw new Error(`port ${opts.port} is already in use; stop what uses it or set MONGO_PORT (or MONGODB_URI for an existing MongoDB)`);
  }
  mkdirSync(opts.dbPath, { recursive: true });
  const mongod = findBinary('mongod');
  const p = launch('mongod', mongod, ['--dbpath', opts.dbPath, '--port', String(opts.port), '--bind_ip', '127.0.0.1', '--replSet', 'rs0', '--quiet'], opts.logDir);
  await waitForPort(opts.port, p, 60_000, opts.logDir);
  const direct = new MongoClient(`mongodb://127.0.0.1:${opts.port}/?directConnection=true`);
  try {
    await direct.connect();
    const admin = direct.db('admin');
    try {
      await admin.command({ replSetGetStatus: 1 });
    } catch (e) {
      if ((e as { codeName?: string }).codeName !== 'NotYetInitialized') throw e;
      await admin.command({ replSetInitiate: { _id: 'rs0', members: [{ _id: 0, host: `127.0.0.1:${opts.port}` }] } });
    }
    // wait until this node is primary
    for (let i = 0; i < 150; i++) {
      const hello = await admin.command({ hello: 1 });
      if (hello.isWritablePrimary) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await direct.close();
  }
  return { uri: `mongodb://127.0.0.1:${opts.port}/xinlian?replicaSet=rs0`, process: p };
}
