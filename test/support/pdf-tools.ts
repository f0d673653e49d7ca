/**
 * Reads PDF bytes back with poppler-utils (pdftotext, pdffonts; Debian package installed by
 * infra/install-tools.sh for the tests). A missing tool fails the test with the command that installs it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function withFile<T>(pdf: Buffer, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'xinlian-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    await writeFile(file, pdf);
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function tool(name: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(name, args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${name} not found: install poppler-utils (sudo apt-get install poppler-utils)`);
    }
    throw e;
  }
}

/** The text of every page, in reading order (pdftotext -raw: no layout columns). */
export const pdfText = (pdf: Buffer) => withFile(pdf, (f) => tool('pdftotext', ['-raw', '-enc', 'UTF-8', f, '-']));

export interface PdfFontRow {
  name: string;
  type: string;
  encoding: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** pdffonts' table: one row per font in the file. */
export const pdfFonts = (pdf: Buffer) =>
  withFile(pdf, async (f) => {
    const lines = (await tool('pdffonts', [f])).split('\n').slice(2).filter(Boolean);
    return lines.map((line): PdfFontRow => {
      // name type… encoding emb sub uni object-id generation; the type may contain spaces
      const m = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/.exec(line.trim());
      if (!m) throw new Error(`unexpected pdffonts line: ${line}`);
      return {
        name: m[1],
        type: m[2],
        encoding: m[3],
        embedded: m[4] === 'yes',
        subset: m[5] === 'yes',
        unicode: m[6] === 'yes',
      };
    });
  });

/** Number of pages (pdfinfo). */
export const pdfPages = (pdf: Buffer) =>
  withFile(pdf, async (f) => Number(/Pages:\s+(\d+)/.exec(await tool('pdfinfo', [f]))?.[1]));
