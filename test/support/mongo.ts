/** Connects this test file's mongoose to its own database on the run's mongod. */
import mongoose from 'mongoose';
import { connectMongo } from '../../db/models';

export async function connectTestDb(name: string): Promise<typeof mongoose> {
  const base = process.env.MONGODB_URI ?? process.env.XINLIAN_TEST_MONGO_BASE;
  if (!base) throw new Error('no test MongoDB: the jest global setup did not run');
  const u = new URL(base);
  u.pathname = `/xinlian_test_${name}`;
  const m = await connectMongo(u.toString());
  await m.connection.db!.dropDatabase();
  await connectMongo(u.toString()); // re-create indexes after the drop
  return m;
}
