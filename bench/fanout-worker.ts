/** A worker process for the fan-out benchmark: the product's worker, or the bare baseline worker. */
import path from 'node:path';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { connectMongo } from '../db/models';
import { Client, Connection } from '@temporalio/client';
import { createWorker } from '../infra/worker';
import { loadConfig } from '../infra/config';
import * as baseline from './baseline-activities';
import { FieldMapping } from '../domain/upstream-exchange';

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGTERM'] });
  const kind = process.argv[2];
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker =
    kind === 'xinlian'
      ? (await connectMongo(process.env.MONGODB_URI!),
        // the product's worker, as npm start and npm run worker create it
        // (its cache size from XINLIAN_WORKER_CACHED_WORKFLOWS)
        await createWorker({
          connection,
          client: new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) }),
          namespace: 'default',
          taskQueue: 'bench-xinlian',
          cachedWorkflows: loadConfig().workerCachedWorkflows,
          // the provincial exchange benchmark's simulated platform, when given
          upstream: {
            mapping: FieldMapping.parse({}),
            pullMinutes: 15,
            ...(process.env.XINLIAN_UPSTREAM_URL
              ? { endpoint: { baseUrl: process.env.XINLIAN_UPSTREAM_URL, token: process.env.XINLIAN_UPSTREAM_TOKEN } }
              : {}),
          },
        }))
      : await Worker.create({
          connection,
          taskQueue: 'bench-baseline',
          workflowsPath: path.join(__dirname, 'baseline-workflows.js'),
          activities: baseline,
        });
  const running = worker.run();
  process.send?.('ready');
  await running;
  process.exit(0);
}
void main();
