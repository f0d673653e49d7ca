/** The exact-path shortcut runs the given handlers without Express's router, and only for exact matches. */
import express from 'express';
import type { Server } from 'node:http';
import { installExactRoutes } from '../../api/exact-routes';

let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  const app = express();
  app.disable('x-powered-by');
  const mark: express.RequestHandler = (req, _res, next) => {
    seen.push(`mark ${req.url}`);
    next();
  };
  const routed: express.RequestHandler = (_req, _res, next) => {
    seen.push('router');
    next();
  };
  const hot: express.RequestHandler = (req, res) =>
    void res.json({ path: req.originalUrl, params: req.params, ip: typeof req.ip });
  const fails: express.RequestHandler = async () => {
    throw new Error('boom');
  };
  const failsMidway: express.RequestHandler = async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"partial":');
    throw new Error('boom after the answer began');
  };
  const onError: express.ErrorRequestHandler = (err, _req, res, _next) =>
    void res.status(500).json({ error: (err as Error).message });
  const notFound: express.RequestHandler = (_req, res) => void res.status(404).json({ error: 'none' });
  installExactRoutes(
    app,
    [
      { method: 'post', path: '/api/hot', chain: [mark, express.json(), hot] },
      { method: 'post', path: '/api/fails', chain: [mark, fails] },
      { method: 'post', path: '/api/falls-through', chain: [mark] },
      { method: 'post', path: '/api/fails-midway', chain: [failsMidway] },
    ],
    onError,
    notFound,
  );
  app.use(routed, mark, express.json());
  app.post('/api/hot', hot);
  app.use(notFound);
  app.use(onError);
  server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => (seen.length = 0));

const post = (path: string) =>
  fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

it('takes an exact method and path past the router, with Express request and response objects', async () => {
  const r = await post('/api/hot');
  expect(await r.json()).toEqual({ path: '/api/hot', params: {}, ip: 'string' });
  expect(seen).toEqual(['mark /api/hot']);
});

it('leaves everything else to Express', async () => {
  for (const path of ['/api/hot?x=1', '/api/hot/', '/API/hot']) {
    seen.length = 0;
    const r = await post(path);
    expect(r.status).toBe(200);
    expect(seen).toEqual(['router', `mark ${path}`]);
  }
  seen.length = 0;
  expect((await fetch(`${base}/api/hot`)).status).toBe(404); // GET: not a shortcut
  expect(seen).toEqual(['router', 'mark /api/hot']);
});

it('sends thrown or rejected errors to the error handler and a chain that runs out to "not found"', async () => {
  const r = await post('/api/fails');
  expect([r.status, await r.json()]).toEqual([500, { error: 'boom' }]);
  const n = await post('/api/falls-through');
  expect([n.status, await n.json()]).toEqual([404, { error: 'none' }]);
});

it('closes the connection on an error after the answer began, as Express does (no client left waiting)', async () => {
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const r = await post('/api/fails-midway');
    await expect(r.text()).rejects.toThrow();
    expect(error).toHaveBeenCalled();
  } finally {
    error.mockRestore();
  }
});
