/**
 * A QR code drawn as vector squares (the `qrcode` package computes the modules), so it stays sharp at
 * any print resolution and adds no image to the file.
 */
import QRCode from 'qrcode';

export interface QrMatrix {
  size: number;
  dark: (row: number, col: number) => boolean;
}

/** The module matrix of `text` at error-correction level M (15 %: survives a stamp or a fold). */
export function qrMatrix(text: string): QrMatrix {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = qr.modules;
  return { size, dark: (r, c) => data[r * size + c] === 1 };
}

/** Draw `text` as a QR code of `width` points with its quiet zone, top-left at (x, y). */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number): void {
  const m = qrMatrix(text);
  const quiet = 2; // modules of white border inside `width`
  const cell = width / (m.size + quiet * 2);
  doc.save();
  doc.rect(x, y, width, width).fill('#ffffff');
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) {
      if (m.dark(r, c)) doc.rect(x + (c + quiet) * cell, y + (r + quiet) * cell, cell + 0.05, cell + 0.05);
    }
  }
  doc.fill('#000000');
  doc.restore();
}
