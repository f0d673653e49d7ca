/**
 * Loads the departments' measures lists from measures/data/*.json and validates them. A bad file
 * fails the load with the file, the entry and the reason, so the office can fix the data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Department, Measure, MeasuresFile } from '../domain/measure';
import { PROJECT_ROOT } from '../infra/paths';

export const DEFAULT_MEASURES_DIR = process.env.XINLIAN_MEASURES_DIR ?? path.join(PROJECT_ROOT, 'measures', 'data');

export interface Catalogue {
  departments: Department[];
  measures: Measure[];
  departmentOf: Map<string, Department>;
  measureById: Map<string, Measure>;
  /** The `edition` label of each department's file (the seed edition's label). */
  editionLabelOf?: Map<string, string>;
}

export class CatalogueError extends Error {
  constructor(
    readonly file: string,
    readonly entry: string,
    readonly reason: string,
  ) {
    super(`${file}: ${entry}: ${reason}`);
    this.name = 'CatalogueError';
  }
}

function entryLabel(json: unknown, issuePath: PropertyKey[]): string {
  const where = issuePath
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  if (issuePath[0] === 'measures' && typeof issuePath[1] === 'number') {
    const id = (json as { measures?: Array<{ id?: unknown }> })?.measures?.[issuePath[1]]?.id;
    if (typeof id === 'string') return `measure ${id} (${where})`;
  }
  return where || '(file)';
}

export function parseMeasuresFile(file: string, text: string): MeasuresFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CatalogueError(file, '(file)', `not valid JSON: ${(e as Error).message}`);
  }
  const parsed = MeasuresFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CatalogueError(file, entryLabel(json, issue.path), issue.message);
  }
  const expectedId = path.basename(file, '.json');
  if (parsed.data.department.id !== expectedId) {
    throw new CatalogueError(file, 'department.id', `must equal the file name "${expectedId}"`);
  }
  return parsed.data;
}

export function loadCatalogue(dir: string = DEFAULT_MEASURES_DIR): Catalogue {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new CatalogueError(dir, '(directory)', 'no measures files (*.json) found');
  const departments: Department[] = [];
  const measures: Measure[] = [];
  const measureById = new Map<string, Measure>();
  const departmentOf = new Map<string, Department>();
  const editionLabelOf = new Map<string, string>();
  for (const f of files) {
    const file = path.join(dir, f);
    const data = parseMeasuresFile(file, readFileSync(file, 'utf8'));
    departments.push(data.department);
    editionLabelOf.set(data.department.id, data.edition);
    for (const m of data.measures) {
      if (measureById.has(m.id))
        throw new CatalogueError(file, `measure ${m.id}`, 'measure id is used twice in the catalogue');
      measureById.set(m.id, m);
      departmentOf.set(m.id, data.department);
      measures.push(m);
    }
  }
  return { departments, measures, departmentOf, measureById, editionLabelOf };
}
