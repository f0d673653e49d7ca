/** The product's API for the check benchmark: the real app (auth, zod, check log) on a given port. */
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { listen } from '../api/listen';
import { TokenService } from '../api/auth';
import { CheckLog } from '../db/check-log';
import { connectMongo } from '../db/models';
import { loadCatalogue } from '../measures/catalogue';
import { LiveTaskIndex } from '../db/live-task-index';
import mongoose from 'mongoose';

async function main() {
  // exit normally on SIGTERM, so that `--cpu-prof` (BENCH_APP_NODE_OPTIONS) writes its profile
  process.once('SIGTERM', () => process.exit(0));
  await connectMongo(process.env.MONGODB_URI!);
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  // BENCH_NO_CHECK_LOG (A/B diagnosis in bench/ab.ts only): what the records cost, never in a benchmark figure
  const checkLog = process.env.BENCH_NO_CHECK_LOG
    ? new CheckLog(undefined, undefined, undefined, () => Promise.resolve())
    : new CheckLog();
  checkLog.start();
  const liveIndex = process.env.BENCH_NO_INDEX ? undefined : await new LiveTaskIndex(mongoose.connection.db!).start();
  const app = createApp({
    client: new Client({ connection }),
    taskQueue: 'bench',
    catalogue: loadCatalogue(),
    tokens: new TokenService(process.env.XINLIAN_JWT_SECRET!),
    checkLog,
    liveIndex,
    rateLimitPerMinute: 10_000_000,
  });
  await listen(app, Number(process.env.PORT), '127.0.0.1');
  process.send?.('ready');
}
void main();
