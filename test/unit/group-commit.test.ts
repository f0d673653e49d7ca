/** Group commit (db/group-commit.ts): who shares a write, when each caller settles, what a failure rejects. */
import { groupCommit } from '../../db/group-commit';

/** A write that records what it carried and finishes (or fails) only when told. */
function controlledWrite() {
  const writes: Array<{ entries: Map<string, number>; finish: () => void; fail: (e: Error) => void }> = [];
  const write = (entries: Map<string, number>) =>
    new Promise<void>((finish, fail) => writes.push({ entries: new Map(entries), finish, fail }));
  return { writes, commit: groupCommit(write) };
}
const tick = () => new Promise((r) => setImmediate(r));
const state = (p: Promise<void>) => {
  const s = { settled: 'no' as 'no' | 'resolved' | 'rejected' };
  p.then(
    () => (s.settled = 'resolved'),
    () => (s.settled = 'rejected'),
  );
  return s;
};

it('writes at once when idle, and callers that come during a write share the next one', async () => {
  const { writes, commit } = controlledWrite();
  const first = state(commit(new Map([['a', 1]])));
  await tick();
  expect(writes.map((w) => [...w.entries])).toEqual([[['a', 1]]]);
  const second = state(commit(new Map([['b', 1]])));
  const third = state(
    commit(
      new Map([
        ['b', 2],
        ['c', 1],
      ]),
    ),
  );
  await tick();
  expect(writes).toHaveLength(1); // they wait for the write in flight
  writes[0].finish();
  await tick();
  expect([first.settled, second.settled, third.settled]).toEqual(['resolved', 'no', 'no']);
  expect(writes.map((w) => [...w.entries])).toEqual([
    [['a', 1]],
    [
      ['b', 2],
      ['c', 1],
    ],
  ]);
  writes[1].finish();
  await tick();
  expect([second.settled, third.settled]).toEqual(['resolved', 'resolved']);
  // idle again: the next caller writes at once
  void commit(new Map([['d', 1]]));
  await tick();
  expect(writes).toHaveLength(3);
});

it('a failed write rejects exactly the callers it carried; the next write goes on', async () => {
  const { writes, commit } = controlledWrite();
  const first = state(commit(new Map([['a', 1]])));
  await tick();
  const second = state(commit(new Map([['b', 1]])));
  writes[0].fail(new Error('primary stepped down'));
  await tick();
  expect([first.settled, second.settled]).toEqual(['rejected', 'no']);
  expect([...writes[1].entries]).toEqual([['b', 1]]);
  writes[1].finish();
  await tick();
  expect(second.settled).toBe('resolved');
});

it('nothing to write: settles at once without a write', async () => {
  const { writes, commit } = controlledWrite();
  await commit(new Map());
  expect(writes).toHaveLength(0);
});
