/** `npm run audit:verify`: checks the audit chain in MongoDB (MONGODB_URI, or the embedded default). */
import mongoose from 'mongoose';
import { verifyAuditChain } from '../db/audit-log';
import { connectMongo } from '../db/models';
import { loadConfig } from './config';

async function main() {
  const cfg = loadConfig();
  const uri = cfg.mongodbUri ?? `mongodb://127.0.0.1:${cfg.mongoPort}/xinlian?replicaSet=rs0`;
  await connectMongo(uri);
  const r = await verifyAuditChain();
  await mongoose.disconnect();
  if (r.ok) {
    console.log(`审计链完整：共 ${r.entries} 条。`);
    process.exit(0);
  }
  console.error(`审计链断裂：第 ${r.firstBroken!.seq} 条——${r.firstBroken!.reason}（已检查 ${r.entries} 条）。`);
  process.exit(2);
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
