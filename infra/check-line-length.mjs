// Fails when a line of a source file (.ts, .js, .mjs, .cjs, .css) is longer than 120 characters.
// Prettier keeps code within its print width of 120 but leaves long strings and comments as they are;
// this catches those. Runs in `npm test` (`npm run lint:lines`), before the build, so plain Node.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const MAX = 120;
/**
 * Long lines still in the Preact pages, per file: htm templates, where breaking a line can change the
 * text shown (htm drops whitespace that contains a line break, so a space between two inline elements
 * would be lost). They are to be broken by hand, page by page, checking each page; until then a file may
 * keep at most this many, and every other file none.
 */
const KNOWN = {
  'web/lib/ui.js': 1,
  'web/main.js': 1,
  'web/pages/case-card.js': 10,
  'web/pages/credit-file.js': 3,
  'web/pages/dept-credit.js': 3,
  'web/pages/dept-check.js': 10,
  'web/pages/dept-inbox.js': 6,
  'web/pages/dept-supervision.js': 1,
  'web/pages/login.js': 1,
  'web/pages/office-dashboard.js': 7,
  'web/pages/office-imports.js': 2,
  'web/pages/office-listing-detail.js': 4,
  'web/pages/office-listing-new.js': 4,
  'web/pages/office-listings.js': 3,
  'web/pages/office-calendar.js': 6,
  'web/pages/office-credit.js': 2,
  'web/pages/report-detail.js': 2,
  'web/pages/subject-authorisations.js': 3,
  'web/pages/subject-credit.js': 1,
  'web/pages/subject-records.js': 9,
};
const ROOT = path.resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', 'dist', '.tools', '.data', '.git', 'coverage']);
const SOURCE = /\.(ts|js|mjs|cjs|css)$/;

function* sources(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (SOURCE.test(e.name)) yield p;
  }
}

const long = [];
for (const file of sources(ROOT)) {
  const name = path.relative(ROOT, file).split(path.sep).join('/');
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    // characters as a reader counts them (code points)
    .map((line, i) => ({ at: i + 1, length: [...line].length }))
    .filter((l) => l.length > MAX);
  if (lines.length > (KNOWN[name] ?? 0)) long.push(...lines.map((l) => `${name}:${l.at}: ${l.length} characters`));
}
if (long.length) {
  console.error(`source lines longer than ${MAX} characters:\n${long.join('\n')}`);
  process.exit(1);
}
