import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

const hint = (address: string, e: unknown) =>
  new Error(
    `无法连接 Temporal（${address}）：${(e as Error).message}。` +
      `请运行 "npm start" 启动内置 Temporal 开发服务器，或设置 TEMPORAL_ADDRESS 指向可用的 Temporal。`,
  );

export async function connectTemporal(address: string, namespace: string) {
  try {
    const connection = await Connection.connect({ address, connectTimeout: '10s' });
    const native = await NativeConnection.connect({ address });
    return { connection, native, client: new Client({ connection, namespace }) };
  } catch (e) {
    throw hint(address, e);
  }
}
