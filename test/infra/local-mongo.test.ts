/**
 * The embedded mongod keeps its data directory across restarts, also when MONGO_PORT changes in
 * between (the one-node set's member address moves with it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startLocalMongo } from '../../infra/mongod';
import { freePort } from '../../infra/process';

jest.setTimeout(120_000);

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'xinlian-local-mongo-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function roundTrip(uri: string, write?: string): Promise<string | undefined> {
  const c = await MongoClient.connect(uri);
  try {
    const col = c.db().collection<{ _id: string; v: string }>('kept');
    if (write) await col.insertOne({ _id: 'k', v: write });
    return (await col.findOne({ _id: 'k' }))?.v;
  } finally {
    await c.close();
  }
}

it('restarts on another port with the same data and a writable primary', async () => {
  const opts = { dbPath: path.join(dir, 'db'), logDir: dir };
  const first = await startLocalMongo({ ...opts, port: await freePort() });
  try {
    expect(await roundTrip(first.uri, 'before the move')).toBe('before the move');
  } finally {
    await first.process.stop();
  }
  const second = await startLocalMongo({ ...opts, port: await freePort() });
  try {
    expect(await roundTrip(second.uri)).toBe('before the move');
    expect(await roundTrip(second.uri.replace('/xinlian?', '/other?'), 'written after')).toBe('written after');
  } finally {
    await second.process.stop();
  }
});
