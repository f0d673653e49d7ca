/** The PDF document module: Chinese text that reads back, the CJK font embedded and subset, page breaks. */
import { createHash } from 'node:crypto';
import { assertPdfFonts, PdfFontMissingError, qrMatrix, renderPdf, type PdfDocumentInput } from '../../infra/pdf';
import { pdfFonts, pdfPages, pdfText } from '../support/pdf-tools';

const doc = (rows: number): PdfDocumentInput => ({
  title: '专项信用报告（无违法违规记录证明版）',
  subtitle: '沧州市公共信用信息中心',
  headerFields: [
    { label: '报告编号', value: 'XLR-TEST-0001' },
    { label: '主体名称', value: '示例科技有限公司' },
    { label: '统一社会信用代码', value: '914403001922038216' },
  ],
  qr: { text: 'https://xinlian.example/verify/XLR-TEST-0001', caption: '扫码验证' },
  sections: [
    {
      heading: '一、行政处罚信息',
      blocks: [
        {
          kind: 'table',
          columns: [
            { header: '序号', width: 0.6 },
            { header: '决定文书号', width: 2 },
            { header: '处罚内容', width: 4 },
          ],
          rows: Array.from({ length: rows }, (_, i) => [String(i + 1), `沧税罚〔2026〕${i + 1}号`, '罚款人民币二千元']),
        },
      ],
    },
    {
      heading: '二、行政强制信息',
      blocks: [{ kind: 'table', columns: [{ header: '决定文书号' }], rows: [], emptyText: '未发现违法违规记录' }],
    },
    { heading: '说明', blocks: [{ kind: 'paragraph', text: '本报告依据发改财金〔2025〕565号出具。', indent: true }] },
    { heading: '', blocks: [{ kind: 'signature', lines: ['沧州市社会信用体系建设领导小组办公室', '2026年12月1日'] }] },
  ],
  footer: '报告编号 XLR-TEST-0001',
  info: { creationDate: new Date('2026-12-01T02:00:00Z'), subject: '信用报告' },
});

describe('renderPdf', () => {
  it('writes a PDF whose text reads back as the Chinese it was given', async () => {
    const pdf = await renderPdf(doc(3));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const s of [
      '专项信用报告（无违法违规记录证明版）',
      '示例科技有限公司',
      '914403001922038216',
      '沧税罚〔2026〕2号',
      '未发现违法违规记录',
      '本报告依据发改财金〔2025〕565号出具。',
      '第 1 页 共 1 页',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('embeds the CJK font as a subset with a Unicode map', async () => {
    const fonts = await pdfFonts(await renderPdf(doc(3)));
    expect(fonts.length).toBe(2);
    for (const f of fonts) {
      expect(f).toMatchObject({
        type: 'CID Type 0C',
        encoding: 'Identity-H',
        embedded: true,
        subset: true,
        unicode: true,
      });
      // a subset font's name carries a six-letter tag
      expect(f.name).toMatch(/^[A-Z]{6}\+NotoSansCJKsc-(Regular|Bold)$/);
    }
  });

  it('breaks a long table over pages and numbers every page', async () => {
    const pdf = await renderPdf(doc(200));
    const pages = await pdfPages(pdf);
    expect(pages).toBeGreaterThan(4);
    const text = await pdfText(pdf);
    expect(text).toContain(`第 ${pages} 页 共 ${pages} 页`);
    expect(text).toContain('沧税罚〔2026〕200号');
    // the header row is repeated on every page the table covers
    expect(text.split('决定文书号').length - 1).toBeGreaterThanOrEqual(pages);
  });

  it('gives the same bytes for the same document and creation date', async () => {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(await renderPdf(doc(5)))).toBe(sha(await renderPdf(doc(5))));
  });

  it('refuses a document that does not follow the schema', async () => {
    await expect(renderPdf({ title: '' })).rejects.toThrow();
  });

  it('encodes the QR text in a version-sized matrix', () => {
    const m = qrMatrix('https://xinlian.example/verify/XLR-TEST-0001');
    // 44 characters fit version 3 (29 modules) at level M: the upper-case tail is packed as alphanumeric
    expect(m.size).toBe(29);
    // the three finder patterns' corners are dark
    expect([m.dark(0, 0), m.dark(0, m.size - 1), m.dark(m.size - 1, 0)]).toEqual([true, true, true]);
  });
});

describe('the PDF font', () => {
  it('is missing → an error that says how to install it', () => {
    const env = { XINLIAN_PDF_FONT: '/nonexistent/font.ttf' };
    expect(() => assertPdfFonts(env)).toThrow(PdfFontMissingError);
    expect(() => assertPdfFonts(env)).toThrow(/apt-get install fonts-noto-cjk/);
  });

  it('is present in the Debian location by default', () => {
    expect(() => assertPdfFonts({})).not.toThrow();
  });
});
