/**
 * The CJK font embedded in every PDF: Noto Sans CJK SC from Debian's `fonts-noto-cjk` package (installed
 * by infra/install-tools.sh with apt, on production hosts too). pdfkit embeds it as a subset CID-keyed
 * CFF font (CID Type 0C, Identity-H, with a ToUnicode map, so the text can be searched and copied).
 * Nothing is downloaded at run time; a missing font stops the job with the command that installs it.
 *
 * XINLIAN_PDF_FONT / XINLIAN_PDF_FONT_BOLD point at other files (TTF/OTF/TTC);
 * XINLIAN_PDF_FONT_NAME / XINLIAN_PDF_FONT_BOLD_NAME pick the face inside a collection.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface FontFace {
  path: string;
  /** PostScript name of the face inside a .ttc collection */
  face?: string;
}

export interface PdfFonts {
  regular: FontFace & { data: Buffer };
  bold: FontFace & { data: Buffer };
}

const DEBIAN_DIR = '/usr/share/fonts/opentype/noto';
const DEFAULT_REGULAR: FontFace = { path: `${DEBIAN_DIR}/NotoSansCJK-Regular.ttc`, face: 'NotoSansCJKsc-Regular' };
const DEFAULT_BOLD: FontFace = { path: `${DEBIAN_DIR}/NotoSansCJK-Bold.ttc`, face: 'NotoSansCJKsc-Bold' };

export class PdfFontMissingError extends Error {
  readonly code = 'pdf_font_missing';
}

function faceFromEnv(env: NodeJS.ProcessEnv, pathVar: string, nameVar: string, fallback: FontFace): FontFace {
  const p = env[pathVar];
  if (!p) return fallback;
  return { path: p, face: env[nameVar] || undefined };
}

/** Where the fonts are (no file access). */
export function pdfFontFaces(env: NodeJS.ProcessEnv = process.env): { regular: FontFace; bold: FontFace } {
  const regular = faceFromEnv(env, 'XINLIAN_PDF_FONT', 'XINLIAN_PDF_FONT_NAME', DEFAULT_REGULAR);
  // a configured regular face without a bold one is used for both
  const boldFallback = env.XINLIAN_PDF_FONT ? regular : DEFAULT_BOLD;
  const bold = faceFromEnv(env, 'XINLIAN_PDF_FONT_BOLD', 'XINLIAN_PDF_FONT_BOLD_NAME', boldFallback);
  return { regular, bold };
}

/** Throws PdfFontMissingError, saying how to install the font, when a font file is absent. */
export function assertPdfFonts(env: NodeJS.ProcessEnv = process.env): void {
  const { regular, bold } = pdfFontFaces(env);
  for (const f of [regular, bold]) {
    if (!existsSync(f.path)) {
      throw new PdfFontMissingError(
        `PDF 字体文件不存在：${f.path}。信用报告等 PDF 文书需要中文字体，请安装：` +
          `sudo apt-get install fonts-noto-cjk（npm install 以 root 运行时会自动安装），` +
          `或以 XINLIAN_PDF_FONT 指向一个 TTF/OTF/TTC 字体文件。`,
      );
    }
  }
}

let cached: { key: string; fonts: PdfFonts } | undefined;

/** The font files' bytes, read once per process (about 40 MB for the two Noto collections). */
export function loadPdfFonts(env: NodeJS.ProcessEnv = process.env): PdfFonts {
  const { regular, bold } = pdfFontFaces(env);
  const key = JSON.stringify([regular, bold]);
  if (cached?.key === key) return cached.fonts;
  assertPdfFonts(env);
  const regularData = readFileSync(regular.path);
  const boldData = bold.path === regular.path ? regularData : readFileSync(bold.path);
  const fonts: PdfFonts = { regular: { ...regular, data: regularData }, bold: { ...bold, data: boldData } };
  cached = { key, fonts };
  return fonts;
}
