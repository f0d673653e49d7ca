/** When the development sign-in (and dev tokens) exist: only with the generated key, unless told. */
import { devLoginEnabled, loadConfig } from '../../infra/config';

test('on with the generated development key, off once a signing key is configured', () => {
  expect(devLoginEnabled(loadConfig({}))).toBe(true);
  expect(devLoginEnabled(loadConfig({ XINLIAN_JWT_SECRET: 'x'.repeat(32) }))).toBe(false);
  expect(devLoginEnabled(loadConfig({ XINLIAN_JWT_KEYS: `k1:${'y'.repeat(32)}` }))).toBe(false);
});

test('XINLIAN_DEV_LOGIN overrides either way', () => {
  expect(devLoginEnabled(loadConfig({ XINLIAN_DEV_LOGIN: '0' }))).toBe(false);
  expect(devLoginEnabled(loadConfig({ XINLIAN_DEV_LOGIN: '1', XINLIAN_JWT_SECRET: 'x'.repeat(32) }))).toBe(true);
});
