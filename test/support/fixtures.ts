/** Request bodies shared by API tests. Dates are relative to today (CST) so the tests never age. */
export const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
export const daysFromToday = (n: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

/** The fields every test listing shares: a serious major-tax-violation enterprise (dates are the caller's). */
export const baseListing = () => ({
  subject: { type: 'enterprise', uscc: '9144030071526726XG', name: '示例网络科技有限公司' },
  listKind: 'black',
  category: 'major_tax_violation',
  severity: 'serious',
  authority: '国家税务总局沧州市税务局',
  legalBasis: [{ document: '重大税收违法失信主体信息公布管理办法（国家税务总局令第54号）' }],
  reason: '虚开增值税专用发票，情节严重',
});

/** A black-list entry whose prior notice went out with the decision 30 days ago: it takes effect at once. */
export const listingBody = (over: Record<string, unknown> = {}) => ({
  ...baseListing(),
  decisionDocument: { number: `沧税稽罚〔2026〕${Math.floor(Math.random() * 1e9)}号`, date: daysFromToday(-30) },
  noticeServedOn: daysFromToday(-30),
  effectiveDate: daysFromToday(-1),
  validUntil: daysFromToday(365),
  ...over,
});
