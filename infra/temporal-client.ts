/**
 * Connections to the Temporal frontend, for the client (API, activities) and the worker, with TLS (CA,
 * client certificate and key, server name) or an API key from the configuration.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ClientInterceptors, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalTls } from './config';

const hint = (address: string, e: unknown) =>
  new Error(
    `无法连接 Temporal（${address}）：${(e as Error).message}。请运行 "npm start" 启动内置 Temporal 开发服务器，` +
      `或设置 TEMPORAL_ADDRESS 指向可用的 Temporal（TLS：TEMPORAL_TLS_CA / TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY）。`,
  );

export interface TemporalOptions {
  tls?: TemporalTls;
  apiKey?: string;
  interceptors?: ClientInterceptors;
}

/** The SDK's TLS options from the configured files (read once, at start). */
export function tlsConfig(tls?: TemporalTls): TLSConfig | undefined {
  if (!tls) return undefined;
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.ca ? readFileSync(tls.ca) : undefined,
    clientCertPair: tls.cert && tls.key ? { crt: readFileSync(tls.cert), key: readFileSync(tls.key) } : undefined,
  };
}

/** A client only (the API process): no native connection, so no Temporal Runtime in the process. */
export async function connectClient(address: string, namespace: string, opts: TemporalOptions = {}) {
  try {
    const connection = await Connection.connect({
      address,
      connectTimeout: '10s',
      tls: tlsConfig(opts.tls),
      apiKey: opts.apiKey,
    });
    return { connection, client: new Client({ connection, namespace, interceptors: opts.interceptors }) };
  } catch (e) {
    throw hint(address, e);
  }
}

/** A client and the worker's native connection. */
export async function connectTemporal(address: string, namespace: string, opts: TemporalOptions = {}) {
  const { connection, client } = await connectClient(address, namespace, opts);
  try {
    const native = await NativeConnection.connect({ address, tls: tlsConfig(opts.tls), apiKey: opts.apiKey });
    return { connection, native, client };
  } catch (e) {
    await connection.close();
    throw hint(address, e);
  }
}
