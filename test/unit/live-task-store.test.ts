/** The live task index's store, without MongoDB: tasks in, lookups out, lists shared only when equal. */
import { BSON } from 'mongodb';
import { LiveTaskStore, type IndexedTask, type RawIndexedTask } from '../../db/live-task-store';

const entry = (expiresAt = '2027-09-28T16:00:00.000Z') => ({
  listKind: 'black' as const,
  category: 'major_tax_violation' as const,
  severity: 'serious' as const,
  authority: '国家税务总局沧州市税务局',
  effectiveAt: '2026-10-10T16:00:00.000Z',
  expiresAt,
});

const noBid = (document: string) => ({
  id: 'tax.no-bid',
  kind: 'sanction' as const,
  title: '限制参与政府采购',
  mandatory: true,
  legalBasis: [{ document }],
});

const task = (entryId: string, departmentId: string, over: Partial<IndexedTask> = {}): IndexedTask => ({
  _id: `${entryId}:${departmentId}`,
  entryId,
  subjectId: '914403001922038216',
  departmentId,
  status: 'pending',
  entry: entry(),
  measures: [noBid('《政府采购法》第二十二条')],
  ...over,
});

const E1 = 'E00000000000000000001';
const E2 = 'E00000000000000000002';

describe('LiveTaskStore', () => {
  it('answers a subject’s live tasks of one department, one per entry', () => {
    const store = new LiveTaskStore();
    store.apply(task(E1, 'tax'));
    store.apply(task(E1, 'finance'));
    store.apply(task(E2, 'tax'));
    store.apply(task('E00000000000000000003', 'tax', { subjectId: '9144030071526726XG' }));
    expect(store.size).toBe(4);
    expect(store.lookup('914403001922038216', 'tax').map((t) => t.entryId)).toEqual([E1, E2]);
    expect(store.lookup('914403001922038216', 'finance').map((t) => t.entryId)).toEqual([E1]);
    expect(store.lookup('914403001922038216', 'transport')).toEqual([]);
    expect(store.lookup('91130900MA0CNB7K2J', 'tax')).toEqual([]);
  });

  it('keeps each entry’s own edition of a measure: same id and title, different legal basis', () => {
    const store = new LiveTaskStore();
    store.apply(task(E1, 'tax', { measures: [noBid('《政府采购法》第二十二条（2014年版清单）')] }));
    store.apply(task(E2, 'tax', { measures: [noBid('《政府采购法》第二十二条（2026年版清单）')] }));
    const [first, second] = store.lookup('914403001922038216', 'tax');
    expect(first.measures[0].legalBasis).toEqual([{ document: '《政府采购法》第二十二条（2014年版清单）' }]);
    expect(second.measures[0].legalBasis).toEqual([{ document: '《政府采购法》第二十二条（2026年版清单）' }]);
    expect(store.distinctMeasureLists).toBe(2);
  });

  it('shares a measure list between entries only when it is the same, key order aside', () => {
    const store = new LiveTaskStore();
    const m = noBid('《政府采购法》第二十二条');
    store.apply(task(E1, 'tax', { measures: [m] }));
    const reordered = { legalBasis: m.legalBasis, mandatory: true, title: m.title, kind: m.kind, id: m.id };
    store.apply(task(E2, 'tax', { measures: [reordered] }));
    const [a, b] = store.lookup('914403001922038216', 'tax');
    expect(a.measures).toBe(b.measures);
    expect(store.distinctMeasureLists).toBe(1);
  });

  it('drops a task once lifted or deleted, and the entry with its last task', () => {
    const store = new LiveTaskStore();
    store.apply(task(E1, 'tax'));
    store.apply(task(E1, 'finance'));
    store.apply(task(E1, 'tax', { status: 'acknowledged' }));
    expect(store.size).toBe(2);
    store.apply(task(E1, 'tax', { status: 'lifted' }));
    expect(store.lookup('914403001922038216', 'tax')).toEqual([]);
    expect(store.size).toBe(1);
    store.remove(`${E1}:finance`);
    expect(store.size).toBe(0);
    expect(store.lookup('914403001922038216', 'finance')).toEqual([]);
    store.remove(`${E1}:finance`); // a second delete changes nothing
    expect(store.size).toBe(0);
  });

  it('flags only the departments whose task is under objection, and follows the latest entry summary', () => {
    const store = new LiveTaskStore();
    store.apply(task(E1, 'tax', { underObjection: true }));
    store.apply(task(E1, 'finance', { entry: entry('2027-03-31T16:00:00.000Z') }));
    expect(store.lookup('914403001922038216', 'tax')[0]).toMatchObject({
      underObjection: true,
      entry: { expiresAt: '2027-03-31T16:00:00.000Z' },
    });
    expect(store.lookup('914403001922038216', 'finance')[0].underObjection).toBeUndefined();
    store.apply(task(E1, 'tax', { underObjection: false }));
    expect(store.lookup('914403001922038216', 'tax')[0].underObjection).toBeUndefined();
  });

  it('loads tasks whose measures are raw BSON as if decoded, sharing a list between equal bytes', () => {
    const store = new LiveTaskStore();
    const raw = (t: IndexedTask): RawIndexedTask => ({ ...t, measures: t.measures.map((m) => BSON.serialize(m)) });
    const edition2014 = [noBid('《政府采购法》第二十二条（2014年版清单）')];
    store.applyRaw(raw(task(E1, 'tax', { measures: edition2014 })));
    store.applyRaw(raw(task(E2, 'tax', { measures: [noBid('《政府采购法》第二十二条（2014年版清单）')] })));
    store.applyRaw(raw(task('E00000000000000000003', 'tax', { measures: [noBid('（2026年版清单）')] })));
    store.applyRaw(raw(task('E00000000000000000004', 'tax', { status: 'lifted' })));
    expect(store.size).toBe(3);
    expect(store.distinctMeasureLists).toBe(2);
    const [a, b, c] = store.lookup('914403001922038216', 'tax');
    expect(a).toEqual({ entryId: E1, entry: entry(), measures: edition2014 });
    expect(b.measures).toBe(a.measures);
    expect(c.measures).toEqual([noBid('（2026年版清单）')]);
    // a change on the stream after the load replaces the loaded task
    store.apply(task(E1, 'tax', { status: 'acknowledged', measures: [noBid('（2026年版清单）')] }));
    expect(store.size).toBe(3);
    const e1 = store.lookup('914403001922038216', 'tax').find((t) => t.entryId === E1)!;
    expect(e1.measures).toEqual([noBid('（2026年版清单）')]);
  });

  describe('slices and restore (a snapshot, db/live-index-snapshot.ts)', () => {
    const S2 = '9144030071526726XG';
    /** Every lookup of the subjects and departments used here, for comparing two stores. */
    const everything = (store: LiveTaskStore) =>
      ['914403001922038216', S2].flatMap((s) => ['tax', 'finance', 'transport'].map((d) => store.lookup(s, d)));
    const through = (store: LiveTaskStore, size: number) => {
      const copy = new LiveTaskStore();
      for (const slice of store.slices(size)) copy.restore(JSON.parse(JSON.stringify(slice)));
      return copy;
    };

    it('copies every entry, its objections and its shared lists through JSON, in slices of any size', () => {
      const store = new LiveTaskStore();
      store.apply(task(E1, 'tax', { underObjection: true }));
      store.apply(task(E1, 'finance'));
      store.apply(task(E2, 'tax', { measures: [noBid('（2026年版清单）')] }));
      store.apply(task('E00000000000000000003', 'transport', { subjectId: S2 }));
      for (const size of [1, 2, 100]) {
        const copy = through(store, size);
        expect(copy.size).toBe(4);
        expect(everything(copy)).toEqual(everything(store));
        expect(copy.distinctMeasureLists).toBe(2);
      }
      expect([...store.slices(2)].map((s) => s.rows.length)).toEqual([2, 1]);
    });

    it('is exact again once the changes made while slicing are applied over the copy', () => {
      const store = new LiveTaskStore();
      for (let i = 1; i <= 6; i++) store.apply(task(`E0000000000000000000${i}`, 'tax'));
      const changes: Array<(s: LiveTaskStore) => void> = [
        (s) => s.remove('E00000000000000000001:tax'), // already sliced: the copy holds it
        (s) => s.apply(task('E00000000000000000006', 'tax', { underObjection: true })), // not yet sliced
        (s) => s.apply(task('E00000000000000000007', 'finance', { subjectId: S2 })), // new, after the iterator
        (s) => s.apply(task('E00000000000000000002', 'tax', { status: 'lifted' })),
      ];
      const copy = new LiveTaskStore();
      let n = 0;
      for (const slice of store.slices(2)) {
        copy.restore(JSON.parse(JSON.stringify(slice)));
        changes[n++]?.(store);
      }
      while (n < changes.length) changes[n++](store);
      for (const change of changes) change(copy); // the change stream replays everything since the first slice
      expect(copy.size).toBe(store.size);
      expect(everything(copy)).toEqual(everything(store));
    });

    it('replaces an entry it already holds, so a slice read twice changes nothing', () => {
      const store = new LiveTaskStore();
      store.apply(task(E1, 'tax'));
      store.apply(task(E1, 'finance'));
      const [slice] = [...store.slices(10)];
      const copy = new LiveTaskStore();
      copy.apply(task(E1, 'transport'));
      copy.restore(slice);
      copy.restore(slice);
      expect(copy.size).toBe(2);
      expect(everything(copy)).toEqual(everything(store));
    });
  });
});
