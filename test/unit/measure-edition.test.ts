/** The editions' pure rules: which edition is in force, when a publication is refused, what changed. */
import { diffMeasures, editionInForce, publicationProblem, type EditionDoc } from '../../domain/measure-edition';
import type { Measure } from '../../domain/measure';
import { catalogueOn } from '../../measures/edition-catalogue';
import type { Catalogue } from '../../measures/catalogue';

const measure = (id: string, over: Partial<Measure> = {}): Measure => ({
  id,
  kind: 'sanction',
  title: id,
  mandatory: true,
  categories: ['major_tax_violation'],
  severities: ['serious'],
  subjectTypes: ['enterprise'],
  areas: ['government_procurement'],
  matters: [],
  legalBasis: [{ document: '国发〔2016〕33号' }],
  ...over,
});
const edition = (number: number, status: EditionDoc['status'], effectiveFrom?: string, measures: Measure[] = []) =>
  ({
    departmentId: 'alpha',
    departmentName: '甲局',
    number,
    label: `第${number}版`,
    status,
    effectiveFrom,
    measures,
  }) as EditionDoc;

it('picks the published edition with the latest effective date not after the day', () => {
  const eds = [edition(1, 'published', '2000-01-01'), edition(2, 'published', '2026-12-10'), edition(3, 'approved')];
  expect(editionInForce(eds, '2026-12-09')?.number).toBe(1);
  expect(editionInForce(eds, '2026-12-10')?.number).toBe(2);
  expect(editionInForce(eds, '2030-01-01')?.number).toBe(2);
  expect(editionInForce(eds, '1999-12-31')).toBeUndefined();
});

it('refuses a publication before today or not after every published edition', () => {
  const published = [edition(1, 'published', '2000-01-01'), edition(2, 'published', '2026-12-10')];
  expect(publicationProblem(published, '2026-11-30', '2026-12-01')).toBe(
    '生效日期 2026-11-30 早于今天（2026-12-01），不能追溯生效',
  );
  expect(publicationProblem(published, '2026-12-10', '2026-12-01')).toBe(
    '生效日期与第 2 版（自 2026-12-10 起施行）重叠：须晚于 2026-12-10',
  );
  expect(publicationProblem(published, '2026-12-11', '2026-12-01')).toBeUndefined();
});

it('lists added, changed (with the fields) and retired measures', () => {
  const d = diffMeasures(
    [measure('alpha.a'), measure('alpha.b'), measure('alpha.c')],
    [
      measure('alpha.a'),
      measure('alpha.b', { title: '新', legalBasis: [{ document: '另一文件' }] }),
      measure('alpha.d'),
    ],
  );
  expect(d.added.map((m) => m.id)).toEqual(['alpha.d']);
  expect(d.retired.map((m) => m.id)).toEqual(['alpha.c']);
  expect(d.changed.map((c) => [c.id, c.fields])).toEqual([['alpha.b', ['title', 'legalBasis']]]);
  expect(d.unchanged).toBe(1);
});

it('builds the catalogue in force: editions where stored, the files elsewhere, suspensions left out', () => {
  const dept = (id: string) => ({ id, name: `${id}局` });
  const base: Catalogue = {
    departments: [dept('alpha'), dept('beta')],
    measures: [measure('alpha.file'), measure('beta.file')],
    departmentOf: new Map([
      ['alpha.file', dept('alpha')],
      ['beta.file', dept('beta')],
    ]),
    measureById: new Map(),
  };
  const eds = [
    edition(1, 'published', '2000-01-01', [measure('alpha.a'), measure('alpha.b')]),
    edition(2, 'published', '2026-12-10', [measure('alpha.a'), measure('alpha.c')]),
  ];
  const before = catalogueOn(base, eds, new Set(['alpha.b']), '2026-12-09');
  expect(before.measures.map((m) => m.id)).toEqual(['alpha.a', 'beta.file']);
  expect(before.editionOf.get('alpha.a')).toEqual({ id: 'alpha:1', number: 1, label: '第1版' });
  expect(before.editionOf.has('beta.file')).toBe(false);
  const after = catalogueOn(base, eds, new Set(), '2026-12-10');
  expect(after.measures.map((m) => m.id)).toEqual(['alpha.a', 'alpha.c', 'beta.file']);
  expect(after.editionOf.get('alpha.c')?.id).toBe('alpha:2');
});
