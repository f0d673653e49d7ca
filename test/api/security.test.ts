/** The audit chain, publication with masking, rate limits, headers and key rotation on real servers. */
import http from 'node:http';
import mongoose from 'mongoose';
import { TokenService, parseKeys } from '../../api/auth';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { eventually } from '../support/eventually';
import { daysFromToday, listingBody } from '../support/fixtures';

let stack: ApiStack;
let office: string;
let auditor: string;
let tax: string;

beforeAll(async () => {
  stack = await startApiStack('security');
  office = await stack.token({ sub: 'o', name: '信用办张科长', role: 'office' });
  auditor = await stack.token({ sub: 'u', name: '审计员', role: 'auditor' });
  tax = await stack.token({ sub: 't', name: '税务局李四', role: 'department', departmentId: 'tax' });
});
afterAll(() => stack.stop());

describe('audit trail', () => {
  it('records each change (who, role, before/after, request id) chained, and finds the first broken link', async () => {
    const created = await stack.call('POST', '/api/v1/office/listings', { token: office, body: listingBody() });
    const entryId = created.body.entryId;
    await eventually(
      async () =>
        expect((await stack.call('GET', `/api/v1/office/listings/${entryId}`, { token: office })).body.status).toBe(
          'active',
        ),
      30_000,
    );
    const tasks = (await stack.call('GET', `/api/v1/office/listings/${entryId}/tasks`, { token: office }))
      .body as Array<{ taskId: string; departmentId: string }>;
    const taskId = tasks.find((t) => t.departmentId === 'tax')!.taskId;
    const ack = await fetch(`${stack.base}/api/v1/departments/me/tasks/${taskId}/acknowledgement`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tax}`, 'content-type': 'application/json', 'x-request-id': 'req-ack-1' },
      body: '{}',
    });
    expect(ack.headers.get('x-request-id')).toBe('req-ack-1');
    // a refused change leaves no audit entry
    expect(
      (await stack.call('POST', `/api/v1/departments/me/tasks/${taskId}/acknowledgement`, { token: tax, body: {} }))
        .status,
    ).toBe(409);

    const log = (
      await stack.call('GET', `/api/v1/audit/log?targetId=${encodeURIComponent(taskId)}`, { token: auditor })
    ).body.items;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      action: 'task.acknowledge',
      actor: { sub: 't', name: '税务局李四', role: 'department' },
      target: { kind: 'task', id: taskId },
      before: { status: 'pending' },
      after: { status: 'acknowledged' },
      requestId: 'req-ack-1',
    });
    const all = (await stack.call('GET', '/api/v1/audit/log', { token: auditor })).body.items as Array<{
      seq: number;
      hash: string;
      prevHash: string;
      action: string;
      actor: { role: string };
      target: { id: string };
    }>;
    // the office's and the department's changes, and the fan-out the workflow made on its own
    const mine = all.filter((e) => e.target.id === entryId || e.target.id === taskId);
    expect(mine.map((e) => e.action).sort()).toEqual(['listing.create', 'listing.effective', 'task.acknowledge']);
    expect(mine.find((e) => e.action === 'listing.effective')?.actor.role).toBe('system');
    for (let i = 1; i < all.length; i++) expect(all[i].prevHash).toBe(all[i - 1].hash);
    expect((await stack.call('GET', '/api/v1/audit/verify', { token: auditor })).body).toEqual({
      ok: true,
      entries: all.length,
    });
    // the auditor reads but cannot change anything
    expect(
      (
        await stack.call('POST', `/api/v1/office/listings/${entryId}/removal`, {
          token: auditor,
          body: { reason: '试图移出' },
        })
      ).status,
    ).toBe(403);

    // tamper with this case's first entry: verification names it (and every earlier entry holds)
    const first = mine.map((e) => e.seq).sort((a, b) => a - b)[0];
    const coll = mongoose.connection.db!.collection<{ _id: number }>('audit_log');
    await coll.updateOne({ _id: first }, { $set: { action: 'listing.remove' } });
    expect((await stack.call('GET', '/api/v1/audit/verify', { token: office })).body).toEqual({
      ok: false,
      entries: first,
      firstBroken: { seq: first, reason: '内容与哈希不符（记录被改动）' },
    });
    await coll.deleteOne({ _id: first });
    expect((await stack.call('GET', '/api/v1/audit/verify', { token: office })).body.firstBroken).toEqual({
      seq: first,
      reason: `第 ${first} 条缺失（下一条为第 ${first + 1} 条）`,
    });
  });
});

/** The status of a GET sent from the given local address. */
function statusFrom(localAddress: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${stack.base}${path}`, { localAddress }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
      .on('error', reject);
  });
}

describe('publication', () => {
  it('shows entries in force, hides minor ones and masks individuals', async () => {
    const person = { type: 'individual', idNumber: '11010519491231002X', name: '张三丰' };
    const serious = await stack.call('POST', '/api/v1/office/listings', {
      token: office,
      body: listingBody({ subject: person, category: 'wage_arrears' }),
    });
    const minor = await stack.call('POST', '/api/v1/office/listings', {
      token: office,
      body: listingBody({
        subject: person,
        category: 'wage_arrears',
        severity: 'minor',
        validUntil: daysFromToday(60),
      }),
    });
    for (const r of [serious, minor]) {
      await eventually(
        async () =>
          expect(
            (await stack.call('GET', `/api/v1/office/listings/${r.body.entryId}`, { token: office })).body.status,
          ).toBe('active'),
        30_000,
      );
    }
    const pub = await stack.call('GET', '/api/v1/public/records?subjectId=11010519491231002X');
    expect(pub.status).toBe(200);
    expect(pub.body.items).toHaveLength(1);
    expect(pub.body.next).toBeNull();
    expect(pub.body.items[0]).toMatchObject({
      category: 'wage_arrears',
      severity: 'serious',
      subject: { type: 'individual', id: '110105********002X', name: '张**' },
    });
    expect(JSON.stringify(pub.body)).not.toContain('11010519491231002X');
    expect(JSON.stringify(pub.body)).not.toContain('张三丰');
  });

  it('limits public requests per address and sets security headers', async () => {
    const r = await fetch(`${stack.base}/api/v1/public/records?subjectId=914403001922038216`);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(r.headers.get('cache-control')).toBe('no-store');
    const page = await fetch(`${stack.base}/docs`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-inline'");
    // from an address of its own (another loopback address), so other cases keep 127.0.0.1's allowance
    let limited = 0;
    for (let i = 0; i < 70; i++) {
      if ((await statusFrom('127.0.0.2', '/api/v1/public/records?subjectId=914403001922038216')) === 429) limited++;
    }
    expect(limited).toBeGreaterThan(0);
    // the limit is per address: this process's own address is still answered
    expect(await statusFrom('127.0.0.1', '/api/v1/public/records?subjectId=914403001922038216')).toBe(200);
  });
});

describe('token rate limit', () => {
  it('answers 429 past the per-token limit and counts tokens apart', async () => {
    const { tokenRateLimit } = await import('../../api/rate-limit');
    const express = (await import('express')).default;
    const app = express();
    let clock = Date.parse('2026-11-26T02:00:10Z'); // fixed: a real minute boundary could fall between two requests
    app.use(
      tokenRateLimit(
        3,
        (_req, res) => void res.status(429).end(),
        () => clock,
      ),
    );
    app.get('/', (_req, res) => void res.end('ok'));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const statuses = async (token: string, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await fetch(url, { headers: { authorization: token } })).status);
      return out;
    };
    try {
      expect(await statuses('Bearer a', 5)).toEqual([200, 200, 200, 429, 429]);
      expect(await statuses('Bearer b', 1)).toEqual([200]);
      const limited = await fetch(url, { headers: { authorization: 'Bearer a' } });
      expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '50']); // seconds to the next minute
      clock += 50_000; // the next minute: counts start again
      expect(await statuses('Bearer a', 4)).toEqual([200, 200, 200, 429]);
    } finally {
      server.close();
    }
  });
});

describe('keys', () => {
  it('verifies tokens of every configured key and signs with the first, so keys rotate without a cut', async () => {
    const old = new TokenService(parseKeys('k1:11111111111111111111111111111111'));
    const rotated = new TokenService(
      parseKeys('k2:22222222222222222222222222222222,k1:11111111111111111111111111111111'),
    );
    const after = new TokenService(parseKeys('k2:22222222222222222222222222222222'));
    const p = { sub: 'x', name: 'x', role: 'office' as const };
    const oldToken = await old.issue(p);
    expect((await rotated.verify(oldToken)).sub).toBe('x');
    const newToken = await rotated.issue(p);
    expect((await after.verify(newToken)).sub).toBe('x');
    await expect(after.verify(oldToken)).rejects.toThrow();
    expect(() => parseKeys('nokid')).toThrow(/kid:secret/);
    expect(() => new TokenService('short')).toThrow(/32/);
  });
});

describe('development sign-in', () => {
  it('does not exist unless the app is given development accounts', async () => {
    expect((await stack.call('GET', '/api/v1/auth/dev-accounts')).status).toBe(404);
    expect((await stack.call('POST', '/api/v1/auth/dev-login', { body: { account: 'office' } })).status).toBe(404);
  });

  it('pages carry a CSP that allows only our own scripts and never upgrades plain-HTTP intranet requests', async () => {
    const res = await fetch(`${stack.base}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(await res.text()).toContain('<script type="module" src="/app/main.js">');
  });
});
