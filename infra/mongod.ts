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
    throw new Error(
      `port ${opts.port} is already in use; stop what uses it ` +
        `or set MONGO_PORT (or MONGODB_URI for an existing MongoDB)`,
    );
  }
  mkdirSync(opts.dbPath, { recursive: true });
  const mongod = findBinary('mongod');
  const p = launch(
    'mongod',
    mongod,
    ['--dbpath', opts.dbPath, '--port', String(opts.port), '--bind_ip', '127.0.0.1', '--replSet', 'rs0', '--quiet'],
    opts.logDir,
  );
  try {
    await waitForPort(opts.port, p, 60_000, opts.logDir);
    await becomePrimary(opts.port);
  } catch (e) {
    await p.stop(); // a mongod that did not come up as a primary is not left behind
    throw e;
  }
  return { uri: `mongodb://127.0.0.1:${opts.port}/xinlian?replicaSet=rs0`, process: p };
}

/**
 * Initiates the one-node set on first start. A data directory first used on another port (MONGO_PORT
 * changed) holds a set whose only member is that old address, so the node is not a member of its
 * own set: its member address is moved to this port (a forced reconfiguration, safe for a one-node
 * set). Then waits until the node is primary.
 */
async function becomePrimary(port: number): Promise<void> {
  const host = `127.0.0.1:${port}`;
  const direct = new MongoClient(`mongodb://${host}/?directConnection=true`);
  try {
    await direct.connect();
    const admin = direct.db('admin');
    try {
      await admin.command({ replSetGetStatus: 1 });
    } catch (e) {
      const codeName = (e as { codeName?: string }).codeName;
      if (codeName === 'NotYetInitialized') {
        await admin.command({ replSetInitiate: { _id: 'rs0', members: [{ _id: 0, host }] } });
      } else if (codeName === 'InvalidReplicaSetConfig') {
        const { config } = await admin.command({ replSetGetConfig: 1 });
        if (config.members.length !== 1) throw e;
        console.log(`mongod 数据目录中登记的地址为 ${config.members[0].host}，已改为 ${host}`);
        config.members[0].host = host;
        config.version += 1;
        await admin.command({ replSetReconfig: config, force: true });
      } else throw e;
    }
    for (let i = 0; i < 150; i++) {
      const hello = await admin.command({ hello: 1 });
      if (hello.isWritablePrimary) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`mongod on port ${port} did not become primary within 30 s; see its log`);
  } finally {
    await direct.close();
  }
}
