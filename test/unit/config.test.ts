/** When the development sign-in (and dev tokens) exist: only with the generated key, unless told. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, devLoginEnabled, ENV_VARIABLES, loadConfig, requireExternal } from '../../infra/config';
import { PROJECT_ROOT } from '../../infra/paths';

test('on with the generated development key, off once a signing key is configured', () => {
  expect(devLoginEnabled(loadConfig({}))).toBe(true);
  expect(devLoginEnabled(loadConfig({ XINLIAN_JWT_SECRET: 'x'.repeat(32) }))).toBe(false);
  expect(devLoginEnabled(loadConfig({ XINLIAN_JWT_KEYS: `k1:${'y'.repeat(32)}` }))).toBe(false);
});

test('XINLIAN_DEV_LOGIN overrides either way', () => {
  expect(devLoginEnabled(loadConfig({ XINLIAN_DEV_LOGIN: '0' }))).toBe(false);
  expect(devLoginEnabled(loadConfig({ XINLIAN_DEV_LOGIN: '1', XINLIAN_JWT_SECRET: 'x'.repeat(32) }))).toBe(true);
});

describe('a bad setting is refused with the variable named', () => {
  const fails = (env: NodeJS.ProcessEnv) => {
    try {
      loadConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  test('ports, URIs, keys, flags and levels', () => {
    expect(fails({ PORT: 'abc' })).toMatch(/PORT: must be a port number .* got "abc"/);
    expect(fails({ XINLIAN_WORKER_PORT: '70000' })).toMatch(/XINLIAN_WORKER_PORT: must be a port number/);
    expect(fails({ MONGODB_URI: 'localhost:27017' })).toMatch(/MONGODB_URI: must be a MongoDB connection string/);
    expect(fails({ XINLIAN_JWT_SECRET: 'short' })).toMatch(/XINLIAN_JWT_SECRET: must be at least 32 characters/);
    expect(fails({ XINLIAN_JWT_KEYS: 'k1' })).toMatch(/XINLIAN_JWT_KEYS: must look like "kid:secret,kid:secret"/);
    expect(fails({ XINLIAN_DEV_LOGIN: 'yes' })).toMatch(/XINLIAN_DEV_LOGIN: must be 1 or 0/);
    expect(fails({ XINLIAN_LOG_LEVEL: 'loud' })).toMatch(/XINLIAN_LOG_LEVEL: must be debug, info, warn or error/);
    expect(fails({ XINLIAN_SHUTDOWN_GRACE_S: '-1' })).toMatch(/XINLIAN_SHUTDOWN_GRACE_S: must be a positive number/);
    // every problem at once, not one per start
    const both = fails({ PORT: '-1', MONGO_PORT: 'x' });
    expect(both).toContain('PORT:');
    expect(both).toContain('MONGO_PORT:');
  });

  test('TLS: files must exist, a certificate needs its key, TEMPORAL_TLS=0 cannot take them', () => {
    expect(fails({ TEMPORAL_TLS_CA: '/nonexistent/ca.pem' })).toMatch(/TEMPORAL_TLS_CA: must name a readable file/);
    expect(fails({ TEMPORAL_TLS_CERT: __filename })).toMatch(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both/);
    expect(fails({ TEMPORAL_TLS: '0', TEMPORAL_API_KEY: 'k' })).toMatch(/TEMPORAL_TLS=0 contradicts/);
  });

  test('TLS is on with any TLS setting or an API key, off without', () => {
    expect(loadConfig({}).temporalTls).toBeUndefined();
    expect(loadConfig({ TEMPORAL_TLS_CA: __filename }).temporalTls).toEqual({ ca: __filename });
    expect(loadConfig({ TEMPORAL_API_KEY: 'k' }).temporalTls).toEqual({});
    expect(loadConfig({ TEMPORAL_TLS: '1' }).temporalTls).toEqual({});
  });

  test('the API and the worker alone need the servers (and the API its keys)', () => {
    expect(() => requireExternal(loadConfig({}), 'worker')).toThrow(
      /TEMPORAL_ADDRESS: required[^]*MONGODB_URI: required/,
    );
    expect(() => requireExternal(loadConfig({}), 'worker')).not.toThrow(/XINLIAN_JWT_KEYS/);
    const servers = { TEMPORAL_ADDRESS: 'temporal:7233', MONGODB_URI: 'mongodb://db/xinlian?replicaSet=rs0' };
    expect(() => requireExternal(loadConfig(servers), 'api')).toThrow(/XINLIAN_JWT_KEYS \(or XINLIAN_JWT_SECRET\)/);
    expect(requireExternal(loadConfig({ ...servers, XINLIAN_JWT_SECRET: 'x'.repeat(32) }), 'api')).toEqual({
      temporalAddress: 'temporal:7233',
      mongodbUri: 'mongodb://db/xinlian?replicaSet=rs0',
    });
  });
});

test('the README lists exactly the variables of the schema, in one table', () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration\n'));
  const table = section.slice(section.indexOf('\n|'), section.indexOf('\n\n', section.indexOf('\n|')));
  const listed = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  expect([...listed].sort()).toEqual([...ENV_VARIABLES].sort());
});
