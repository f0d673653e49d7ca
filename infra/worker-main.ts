/**
 * A worker on its own (`node dist/infra/worker-main.js`): for running more workers beside `npm start`,
 * and for the fault tests that kill and restart one. Needs TEMPORAL_ADDRESS and MONGODB_URI.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { connectMongo } from '../db/models';
import { calendarSync } from '../db/calendar-store';
import { rulesSync } from '../db/rules-store';
import { loadConfig } from './config';
import { createWorker } from './worker';

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cfg = loadConfig();
  if (!cfg.temporalAddress || !cfg.mongodbUri)
    throw new Error('set TEMPORAL_ADDRESS and MONGODB_URI (the worker alone starts no servers)');
  await connectMongo(cfg.mongodbUri);
  await calendarSync().start(); // the office's holiday arrangements, followed as they change
  await rulesSync().start(); // and its own periods
  const client = new Client({
    connection: await Connection.connect({ address: cfg.temporalAddress }),
    namespace: cfg.temporalNamespace,
  });
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  const worker = await createWorker({ connection, client, namespace: cfg.temporalNamespace, taskQueue: cfg.taskQueue });
  const running = worker.run();
  process.send?.('ready');
  console.log(`worker polling ${cfg.taskQueue} on ${cfg.temporalAddress}`);
  await running;
  process.exit(0);
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
