/** A county department's first draft: its city counterpart's measures, re-numbered, less the suspended ones. */
import { countyFirstDraft } from '../../domain/county-first-draft';
import type { Measure } from '../../domain/measure';

const measure = (id: string): Measure => ({
  id,
  kind: 'sanction',
  title: '限制参加政府采购活动',
  mandatory: true,
  categories: ['major_tax_violation'],
  severities: ['serious'],
  subjectTypes: ['enterprise'],
  areas: ['government_procurement'],
  matters: [],
  legalBasis: [{ document: '政府采购法', article: '第二十二条' }],
});

describe('countyFirstDraft', () => {
  it('re-numbers every measure under the county department and keeps the rest of it', () => {
    const draft = countyFirstDraft([measure('tax.no-bid'), measure('tax.a-b-c')], 'botou-tax', new Set());
    expect(draft.map((m) => m.id)).toEqual(['botou-tax.no-bid', 'botou-tax.a-b-c']);
    expect(draft[0]).toEqual({ ...measure('tax.no-bid'), id: 'botou-tax.no-bid' });
  });

  it('leaves out a measure the office has suspended city-wide', () => {
    const draft = countyFirstDraft([measure('tax.no-bid'), measure('tax.other')], 'botou-tax', new Set(['tax.no-bid']));
    expect(draft.map((m) => m.id)).toEqual(['botou-tax.other']);
  });
});
