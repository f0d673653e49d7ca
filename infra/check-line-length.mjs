// Fails when a line of a source file (.ts, .js, .mjs, .cjs, .css) is longer than 120 characters.
// Prettier keeps code within its print width of 120 but leaves long strings and comments as they are;
// this catches those. Runs in `npm test` (`npm run lint:lines`), before the build, so plain Node.
// Breaking a line in the pages' htm templates: htm drops whitespace that contains a line break, so a space
// shown between two inline elements or a field and text is written `${' '}` (or kept on one line).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const MAX = 120;
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
  long.push(...lines.map((l) => `${name}:${l.at}: ${l.length} characters`));
}
if (long.length) {
  console.error(`source lines longer than ${MAX} characters:\n${long.join('\n')}`);
  process.exit(1);
}
