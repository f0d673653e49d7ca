/**
 * Inserting by business key (db/insert-once.ts): a redelivered batch changes nothing, a batch that is
 * partly new stores the new part and returns the rest, and an error other than a taken key is not swallowed.
 */
import mongoose from 'mongoose';
import { insertManyOnce } from '../../db/insert-once';
import { connectTestDb } from '../support/mongo';

type Row = { _id: string; text: string };
const rows = () => mongoose.connection.db!.collection<Row>('rows');

beforeAll(() => connectTestDb('insert_once'));
beforeEach(() => rows().deleteMany({}));
afterAll(() => mongoose.disconnect());

it('stores a batch once: repeating it, or a batch overlapping it, keeps what was stored first', async () => {
  await insertManyOnce(rows(), [
    { _id: 'a', text: 'first' },
    { _id: 'b', text: 'first' },
  ]);
  const taken = await insertManyOnce(rows(), [
    { _id: 'b', text: 'second' },
    { _id: 'a', text: 'second' },
    { _id: 'c', text: 'second' },
  ]);
  // the rows whose key was taken come back, so a caller can write them its own way
  expect(taken).toEqual([
    { _id: 'b', text: 'second' },
    { _id: 'a', text: 'second' },
  ]);
  expect(await insertManyOnce(rows(), [])).toEqual([]);
  expect(await rows().find().sort({ _id: 1 }).toArray()).toEqual([
    { _id: 'a', text: 'first' },
    { _id: 'b', text: 'first' },
    { _id: 'c', text: 'second' },
  ]);
});

it('throws an error that is not a taken key, after storing the rows that were fine', async () => {
  const db = mongoose.connection.db!;
  await db
    .collection('checked')
    .drop()
    .catch(() => undefined);
  const checked = await db.createCollection<Row>('checked', {
    validator: { $jsonSchema: { required: ['text'], properties: { text: { bsonType: 'string' } } } },
  });
  await expect(
    insertManyOnce(checked, [
      { _id: 'ok', text: 'fine' },
      { _id: 'bad', text: 1 as unknown as string },
    ]),
  ).rejects.toMatchObject({ writeErrors: expect.anything() });
  expect(await checked.find().toArray()).toEqual([{ _id: 'ok', text: 'fine' }]);
});
