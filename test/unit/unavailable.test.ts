/** Which errors mean "a server is briefly unavailable" (503, retry) rather than a fault (500). */
import { ServiceError } from '@temporalio/client';
import { MongoNetworkError, MongoServerError, MongoWriteConcernError } from 'mongodb';
import mongoose from 'mongoose';
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

test('the other forms an election takes are unavailable too', () => {
  // the driver's pool-cleared error: a network error by class, with its own name
  class PoolCleared extends MongoNetworkError {
    override get name() {
      return 'MongoPoolClearedError';
    }
  }
  expect(isUnavailable(new PoolCleared('Connection pool for 127.0.0.1:1 was cleared'))).toBe(true);
  // a write whose write concern failed because the primary stepped down or shut down
  const wce = (code: number) =>
    new MongoWriteConcernError({ ok: 1, writeConcernError: { code, errmsg: `wce ${code}` } });
  expect(isUnavailable(wce(91))).toBe(true);
  expect(isUnavailable(wce(189))).toBe(true);
  // a commit whose outcome is unknown, a read that timed out on a member, a member that went away
  const commit = new MongoServerError({ code: 50, errmsg: 'operation exceeded time limit' });
  commit.addErrorLabel('UnknownTransactionCommitResult');
  expect(isUnavailable(commit)).toBe(true);
  expect(isUnavailable(new MongoServerError({ code: 262, errmsg: 'ExceededTimeLimit' }))).toBe(true);
  expect(isUnavailable(Object.assign(new Error('Server is closed'), { name: 'MongoServerClosedError' }))).toBe(true);
  // a model's operation that Mongoose held while no primary was elected, until its buffer timed out
  expect(isUnavailable(new mongoose.Error('Operation `listings.findOne()` buffering timed out after 10000ms'))).toBe(
    true,
  );
  expect(isUnavailable(new mongoose.Error('Cast to ObjectId failed'))).toBe(false);
});

test('a Temporal frontend that is down or restarting is unavailable, also when wrapped', () => {
  expect(isUnavailable(new ServiceError('down', { cause: grpc(14) }))).toBe(true);
  expect(isUnavailable(grpc(14))).toBe(true);
  expect(isUnavailable(new Error('update failed', { cause: new ServiceError('down', { cause: grpc(4) }) }))).toBe(true);
});

test('faults of the request or of the code are not', () => {
  expect(isUnavailable(new Error('boom'))).toBe(false);
  expect(isUnavailable(new MongoServerError({ code: 11000, errmsg: 'duplicate key' }))).toBe(false);
  expect(isUnavailable(new MongoServerError({ code: 121, errmsg: 'Document failed validation' }))).toBe(false);
  expect(isUnavailable(new ServiceError('bad', { cause: grpc(3) }))).toBe(false);
  expect(isUnavailable(undefined)).toBe(false);
});
