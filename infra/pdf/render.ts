/**
 * Renders a PdfDocumentSpec (spec.ts) to PDF bytes with pdfkit: A4, the Noto Sans CJK font embedded
 * and subset (fonts.ts), tables that break across pages and repeat their header row, a vector QR code
 * (qr.ts), and “第 n 页 共 m 页” in every footer. Pure CPU work; call it from an activity or a service.
 */
import PDFDocument from 'pdfkit';
import { drawQr } from './qr';
import { loadPdfFonts } from './fonts';
import { PdfDocumentSpec, type PdfDocument, type PdfDocumentInput } from './spec';

type Doc = PDFKit.PDFDocument;
type Block = PdfDocument['sections'][number]['blocks'][number];
type TableBlock = Extract<Block, { kind: 'table' }>;

const MARGIN = { top: 56, bottom: 64, left: 56, right: 56 };
const FONT = 'cjk';
const BOLD = 'cjk-bold';
const SIZE = { title: 18, subtitle: 11, heading: 12.5, body: 10, table: 8.5, footer: 8 };
const QR_WIDTH = 84;
const CELL_PAD = 3.5;
const GREY = '#555555';
const RULE = '#999999';
const HEADER_FILL = '#eeeeee';

/** Render the document; resolves with the complete file once pdfkit has flushed it. */
export async function renderPdf(input: PdfDocumentInput): Promise<Buffer> {
  const spec = PdfDocumentSpec.parse(input);
  const fonts = loadPdfFonts();
  const creationDate = spec.info.creationDate ?? new Date();
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: documentInfo(spec, creationDate),
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT, fonts.regular.data, fonts.regular.face);
  doc.registerFont(BOLD, fonts.bold.data, fonts.bold.face);

  drawHead(doc, spec);
  for (const section of spec.sections) drawSection(doc, section);
  drawFooters(doc, spec.footer);
  doc.end();
  return done;
}

/** pdfkit fails on an undefined entry, so only the given ones are set. */
function documentInfo(spec: PdfDocument, creationDate: Date): PDFKit.DocumentInfo {
  const info: PDFKit.DocumentInfo = {
    Title: spec.title,
    Creator: 'Xinlian 信联',
    Producer: 'Xinlian 信联 (pdfkit)',
    CreationDate: creationDate,
    ModDate: creationDate,
  };
  if (spec.info.author) info.Author = spec.info.author;
  if (spec.info.subject) info.Subject = spec.info.subject;
  if (spec.info.keywords) info.Keywords = spec.info.keywords;
  return info;
}

const contentWidth = (doc: Doc) => doc.page.width - MARGIN.left - MARGIN.right;
const pageBottom = (doc: Doc) => doc.page.height - MARGIN.bottom;

/** Start a new page unless `height` points still fit on this one. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > pageBottom(doc)) {
    doc.addPage();
    doc.x = MARGIN.left;
  }
}

function drawHead(doc: Doc, spec: PdfDocument): void {
  const top = MARGIN.top;
  const qrSpace = spec.qr ? QR_WIDTH + 12 : 0;
  doc.font(BOLD).fontSize(SIZE.title).fillColor('#000000');
  doc.text(spec.title, MARGIN.left, top, { width: contentWidth(doc), align: 'center' });
  if (spec.subtitle) {
    doc.font(FONT).fontSize(SIZE.subtitle).fillColor(GREY);
    doc.text(spec.subtitle, MARGIN.left, doc.y + 2, { width: contentWidth(doc), align: 'center' });
  }
  doc.fillColor('#000000');
  const fieldsTop = doc.y + 12;
  let qrBottom = fieldsTop;
  if (spec.qr) {
    const x = doc.page.width - MARGIN.right - QR_WIDTH;
    drawQr(doc, spec.qr.text, x, fieldsTop, QR_WIDTH);
    qrBottom = fieldsTop + QR_WIDTH;
    if (spec.qr.caption) {
      doc.font(FONT).fontSize(SIZE.footer).fillColor(GREY);
      doc.text(spec.qr.caption, x - 10, qrBottom + 2, { width: QR_WIDTH + 20, align: 'center' });
      qrBottom = doc.y;
      doc.fillColor('#000000');
    }
  }
  doc.y = fieldsTop;
  drawFields(doc, spec.headerFields, contentWidth(doc) - qrSpace);
  doc.y = Math.max(doc.y, qrBottom) + 10;
  doc
    .moveTo(MARGIN.left, doc.y)
    .lineTo(doc.page.width - MARGIN.right, doc.y)
    .lineWidth(0.8)
    .stroke(RULE);
  doc.y += 8;
}

function drawFields(doc: Doc, fields: PdfDocument['headerFields'], width: number): void {
  const labelWidth = 96;
  doc.fontSize(SIZE.body);
  for (const f of fields) {
    doc.font(FONT);
    const h = Math.max(
      doc.heightOfString(`${f.label}：`, { width: labelWidth }),
      doc.heightOfString(f.value || '—', { width: width - labelWidth }),
    );
    ensureSpace(doc, h + 3);
    const y = doc.y;
    doc.fillColor(GREY).text(`${f.label}：`, MARGIN.left, y, { width: labelWidth });
    doc.fillColor('#000000').text(f.value || '—', MARGIN.left + labelWidth, y, { width: width - labelWidth });
    doc.y = y + h + 3;
  }
  doc.x = MARGIN.left;
}

function drawSection(doc: Doc, section: PdfDocument['sections'][number]): void {
  doc.font(BOLD).fontSize(SIZE.heading);
  // keep the heading with at least a few lines of its content
  ensureSpace(doc, doc.heightOfString(section.heading, { width: contentWidth(doc) }) + 48);
  doc.y += 6;
  doc.fillColor('#000000').text(section.heading, MARGIN.left, doc.y, { width: contentWidth(doc) });
  doc.y += 4;
  for (const block of section.blocks) drawBlock(doc, block);
  doc.y += 4;
}

function drawBlock(doc: Doc, block: Block): void {
  const width = contentWidth(doc);
  switch (block.kind) {
    case 'paragraph': {
      doc.font(FONT).fontSize(SIZE.body).fillColor('#000000');
      const indent = block.indent ? SIZE.body * 2 : 0;
      ensureSpace(doc, SIZE.body * 1.6);
      doc.text(block.text, MARGIN.left, doc.y, { width, indent, lineGap: 3 });
      doc.y += 4;
      return;
    }
    case 'note': {
      doc.font(FONT).fontSize(SIZE.table).fillColor(GREY);
      ensureSpace(doc, SIZE.table * 1.6);
      doc.text(block.text, MARGIN.left, doc.y, { width, lineGap: 2 });
      doc.fillColor('#000000');
      doc.y += 4;
      return;
    }
    case 'fields':
      drawFields(doc, block.fields, width);
      doc.y += 2;
      return;
    case 'table':
      drawTable(doc, block);
      return;
    case 'signature': {
      doc.font(FONT).fontSize(SIZE.body).fillColor('#000000');
      doc.y += 16;
      for (const line of block.lines) {
        ensureSpace(doc, SIZE.body * 1.8);
        doc.text(line, MARGIN.left, doc.y, { width, align: 'right', lineGap: 4 });
      }
      return;
    }
  }
}

function drawTable(doc: Doc, table: TableBlock): void {
  const width = contentWidth(doc);
  const total = table.columns.reduce((s, c) => s + c.width, 0);
  const widths = table.columns.map((c) => (c.width / total) * width);
  doc.fontSize(SIZE.table);

  const rowHeight = (cells: string[], font: string) => {
    doc.font(font);
    return (
      Math.max(...cells.map((text, i) => doc.heightOfString(text || ' ', { width: widths[i] - CELL_PAD * 2 }))) +
      CELL_PAD * 2
    );
  };
  const drawRow = (cells: string[], font: string, fill?: string) => {
    const h = rowHeight(cells, font);
    const y = doc.y;
    let x = MARGIN.left;
    doc.lineWidth(0.5);
    cells.forEach((text, i) => {
      if (fill) doc.rect(x, y, widths[i], h).fillAndStroke(fill, RULE);
      else doc.rect(x, y, widths[i], h).stroke(RULE);
      doc.fillColor('#000000').font(font).fontSize(SIZE.table);
      doc.text(text, x + CELL_PAD, y + CELL_PAD, { width: widths[i] - CELL_PAD * 2, align: table.columns[i].align });
      x += widths[i];
    });
    doc.x = MARGIN.left;
    doc.y = y + h;
  };

  const header = table.columns.map((c) => c.header);
  const headerHeight = rowHeight(header, BOLD);
  const firstRow = table.rows[0];
  ensureSpace(doc, headerHeight + (firstRow ? rowHeight(firstRow, FONT) : 20));
  drawRow(header, BOLD, HEADER_FILL);
  if (table.rows.length === 0 && table.emptyText !== undefined) {
    const h = rowHeight([table.emptyText], FONT);
    const y = doc.y;
    doc.lineWidth(0.5).rect(MARGIN.left, y, width, h).stroke(RULE);
    doc.font(FONT).fontSize(SIZE.table).fillColor('#000000');
    doc.text(table.emptyText, MARGIN.left + CELL_PAD, y + CELL_PAD, { width: width - CELL_PAD * 2, align: 'center' });
    doc.x = MARGIN.left;
    doc.y = y + h;
  }
  for (const row of table.rows) {
    const cells = table.columns.map((_, i) => row[i] ?? '');
    const h = rowHeight(cells, FONT);
    if (doc.y + h > pageBottom(doc)) {
      doc.addPage();
      doc.x = MARGIN.left;
      drawRow(header, BOLD, HEADER_FILL);
    }
    drawRow(cells, FONT);
  }
  doc.y += 6;
}

function drawFooters(doc: Doc, footer: string | undefined): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // writing below the bottom margin would make pdfkit add a page: lift the margin while we write
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN.bottom + 20;
    const width = contentWidth(doc);
    doc.font(FONT).fontSize(SIZE.footer).fillColor(GREY);
    doc
      .moveTo(MARGIN.left, y - 6)
      .lineTo(doc.page.width - MARGIN.right, y - 6)
      .lineWidth(0.5)
      .stroke(RULE);
    if (footer) doc.text(footer, MARGIN.left, y, { width: width * 0.75, lineBreak: false });
    doc.text(`第 ${i - range.start + 1} 页 共 ${range.count} 页`, MARGIN.left, y, {
      width,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor('#000000');
}
