/** The app's server creates requests and responses with Express's prototypes (api/app.ts). */
import type { Server, IncomingMessage, ServerResponse } from 'node:http';
import { createApp } from '../../api/app';
import { listen } from '../../api/listen';
import { TokenService } from '../../api/auth';
import type { CheckLog } from '../../db/check-log';
import { loadCatalogue } from '../../measures/catalogue';

/** An app with no Temporal or check log behind it: these tests reach /healthz only. */
const newApp = () =>
  createApp({
    client: {} as never,
    taskQueue: 'unused',
    catalogue: loadCatalogue(),
    tokens: new TokenService('x'.repeat(32)),
    checkLog: {} as CheckLog,
  });

it('listens like Express, with requests and responses born with the app’s prototypes', async () => {
  const app = newApp();
  let called = 0;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => {
      called++;
      resolve(s);
    });
  });
  const born: boolean[] = [];
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) =>
    born.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response),
  );
  try {
    const r = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/healthz`);
    expect([r.status, await r.json()]).toEqual([200, { ok: true }]);
    expect(born).toEqual([true, true]);
    expect(called).toBe(1);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

it('listen() refuses a port that is taken, saying which and how to choose another', async () => {
  const app = newApp();
  const first = await listen(app, 0, '127.0.0.1');
  const { port } = first.address() as { port: number };
  try {
    await expect(listen(app, port, '127.0.0.1')).rejects.toThrow(
      `port ${port} is already in use; stop what uses it or set PORT to another port`,
    );
  } finally {
    await new Promise((r) => first.close(r));
  }
});
