/** Which errors mean "a server is briefly unavailable" (503, retry) rather than a fault (500). */
import { ServiceError } from '@temporalio/client';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import { isUnavailable } from '../../api/unavailable';

const grpc = (code: number) => Object.assign(new Error(`grpc ${code}`), { code, metadata: {} });

test('a MongoDB election or an unreachable server is unavailable', () => {
  expect(isUnavailable(new MongoNetworkError('connection reset'))).toBe(true);
  expect(isUnavailable(new MongoServerError({ code: 10107, errmsg: 'not primary' }))).toBe(true);
  expect(isUnavailable(new MongoServerError({ code: 11602, errmsg: 'interrupted due to repl state change' }))).toBe(
    true,
  );
  expect(
    isUnavailable(Object.assign(new Error('Server selection timed out'), { name: 'MongoServerSelectionError' })),
  ).toBe(true);
});

test('a Temporal frontend that is down or restarting is unavailable, also when wrapped', () => {
  expect(isUnavailable(new ServiceError('down', { cause: grpc(14) }))).toBe(true);
  expect(isUnavailable(grpc(14))).toBe(true);
  expect(isUnavailable(new Error('update failed', { cause: new ServiceError('down', { cause: grpc(4) }) }))).toBe(true);
});

test('faults of the request or of the code are not', () => {
  expect(isUnavailable(new Error('boom'))).toBe(false);
  expect(isUnavailable(new MongoServerError({ code: 11000, errmsg: 'duplicate key' }))).toBe(false);
  expect(isUnavailable(new ServiceError('bad', { cause: grpc(3) }))).toBe(false);
  expect(isUnavailable(undefined)).toBe(false);
});
