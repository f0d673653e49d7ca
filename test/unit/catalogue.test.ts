import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MeasuresFile } from '../../domain/measure';
import { AREA_CODES, CATEGORY_CODES } from '../../domain/vocabulary';
import { CatalogueError, loadCatalogue } from '../../measures/catalogue';
import { matchEntry, measureAppliesToMatter } from '../../measures/matching';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'measures-small');

function tempCatalogue(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'measures-'));
  for (const [name, content] of Object.entries(files))
    writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

describe('the shipped measures catalogue', () => {
  const c = loadCatalogue();

  it('has at least 12 departments covering all 11 application areas', () => {
    expect(c.departments.length).toBeGreaterThanOrEqual(12);
    const areas = new Set(c.measures.flatMap((m) => m.areas));
    expect([...AREA_CODES].filter((a) => !areas.has(a))).toEqual([]);
  });

  it('uses every list category', () => {
    const used = new Set(c.measures.flatMap((m) => m.categories));
    expect([...CATEGORY_CODES].filter((x) => !used.has(x))).toEqual([]);
  });
});

describe('catalogue validation', () => {
  const good = JSON.parse(readFileSync(path.join(FIXTURES, 'alpha.json'), 'utf8'));

  it('names the file, the entry and the reason of a bad measure', () => {
    const bad = structuredClone(good);
    bad.measures[1].categories = ['no_such_category'];
    const dir = tempCatalogue({ 'alpha.json': bad });
    let err: unknown;
    try {
      loadCatalogue(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CatalogueError);
    const ce = err as CatalogueError;
    expect(ce.file).toBe(path.join(dir, 'alpha.json'));
    expect(ce.entry).toBe('measure alpha.no-subsidy (measures[1].categories[0])');
    expect(ce.reason).toMatch(/dishonest_judgment_debtor/);
  });

  it('refuses an incentive that points at a black list', () => {
    const bad = structuredClone(good);
    bad.measures[0].kind = 'incentive';
    expect(() => loadCatalogue(tempCatalogue({ 'alpha.json': bad }))).toThrow(
      /incentive measure cannot apply to black list category major_tax_violation/,
    );
  });

  it('refuses invalid JSON, a file named differently from its department, and duplicate ids', () => {
    expect(() => loadCatalogue(tempCatalogue({ 'alpha.json': '{ nope' }))).toThrow(
      /alpha.json: \(file\): not valid JSON/,
    );
    expect(() => loadCatalogue(tempCatalogue({ 'other.json': good }))).toThrow(
      /department.id: must equal the file name "other"/,
    );
    const dup = structuredClone(good);
    dup.measures[1].id = dup.measures[0].id;
    expect(() => loadCatalogue(tempCatalogue({ 'alpha.json': dup }))).toThrow(
      /duplicate measure id alpha.no-procurement/,
    );
  });

  it('refuses control characters in the text of a list: a measure title, the department name, the edition', () => {
    const file = JSON.parse(readFileSync(path.join(__dirname, '../../measures/data/tax.json'), 'utf8'));
    const cases: Array<[string, (f: typeof file) => void]> = [
      ['measures.0.title', (f) => (f.measures[0].title = '\u0000\u0000')],
      ['department.name', (f) => (f.department.name = '税务\u0007局')],
      ['edition', (f) => (f.edition = '2024\u001b')],
    ];
    for (const [field, spoil] of cases) {
      const bad = structuredClone(file);
      spoil(bad);
      const r = MeasuresFile.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(field);
    }
    expect(MeasuresFile.safeParse(file).success).toBe(true);
  });

  it('refuses an empty directory', () => {
    expect(() => loadCatalogue(tempCatalogue({}))).toThrow(/no measures files/);
  });
});

describe('matching', () => {
  const c = loadCatalogue(FIXTURES);

  it('groups the measures of a serious major-tax-violation enterprise by department', () => {
    const groups = matchEntry(c, {
      listKind: 'black',
      category: 'major_tax_violation',
      severity: 'serious',
      subjectType: 'enterprise',
    });
    expect(groups.map((g) => [g.departmentId, g.measures.map((m) => m.id)])).toEqual([
      ['alpha', ['alpha.no-procurement', 'alpha.no-subsidy']],
      ['beta', ['beta.strict-review']],
    ]);
  });

  it('respects severity and subject type', () => {
    const general = matchEntry(c, {
      listKind: 'black',
      category: 'major_tax_violation',
      severity: 'general',
      subjectType: 'enterprise',
    });
    expect(general.flatMap((g) => g.measures.map((m) => m.id))).toEqual(['alpha.no-subsidy', 'beta.strict-review']);
    const person = matchEntry(c, {
      listKind: 'black',
      category: 'major_tax_violation',
      severity: 'serious',
      subjectType: 'individual',
    });
    expect(person.flatMap((g) => g.measures.map((m) => m.id))).toEqual(['alpha.no-subsidy']);
  });

  it('matches incentives for red lists without a severity', () => {
    const red = matchEntry(c, { listKind: 'red', category: 'tax_a_level', subjectType: 'enterprise' });
    expect(red.flatMap((g) => g.measures.map((m) => m.id))).toEqual(['beta.green-channel']);
  });

  it('applies an area measure to finer matters and a finer measure only to its matter', () => {
    const procurement = c.measureById.get('alpha.no-procurement')!;
    expect(measureAppliesToMatter(procurement, 'government_procurement')).toBe(true);
    expect(measureAppliesToMatter(procurement, 'government_procurement.bid_award')).toBe(true);
    expect(measureAppliesToMatter(procurement, 'government_procurement.contract_change')).toBe(false);
    expect(measureAppliesToMatter(procurement, 'fiscal_subsidy')).toBe(false);
    const subsidy = c.measureById.get('alpha.no-subsidy')!;
    expect(measureAppliesToMatter(subsidy, 'fiscal_subsidy.special_fund')).toBe(true);
  });
});
