// Fails when a line of a source file (.ts, .js, .mjs, .cjs, .css) is longer than 120 characters.
// Prettier keeps code within its print width of 120 but leaves long strings and comments as they are;
// this catches those. Runs in `npm test` (`npm run lint:lines`), before the build, so plain Node.
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
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      // characters as a reader counts them (code points), as Prettier's width does
      const length = [...line].length;
      if (length > MAX) long.push(`${path.relative(ROOT, file)}:${i + 1}: ${length} characters`);
    });
}
if (long.length) {
  console.error(`${long.length} source lines are longer than ${MAX} characters:\n${long.join('\n')}`);
  process.exit(1);
}
