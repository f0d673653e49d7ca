/**
 * The PDF document module: describe a document with PdfDocumentInput, get its bytes from renderPdf().
 * Used by the credit reports and the notices (事前告知书, 信用修复告知书).
 */
export { renderPdf } from './render';
export { PdfDocumentSpec, type PdfDocumentInput, type PdfBlock, type PdfSection, type PdfField } from './spec';
export { assertPdfFonts, loadPdfFonts, pdfFontFaces, PdfFontMissingError } from './fonts';
export { qrMatrix } from './qr';
