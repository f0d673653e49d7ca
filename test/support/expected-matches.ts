/**
 * What a serious major-tax-violation black listing of an enterprise fans out to, written out by hand
 * from the measures files (not computed with the matching code the tests are checking): one group per
 * department, its measures in file order. A change to the files or to matching shows up here.
 */
import { SMALL_MEASURES } from './workflow-env';

export interface ExpectedGroup {
  departmentId: string;
  measures: Array<{ id: string }>;
}

const groups = (rows: Array<[string, string[]]>): ExpectedGroup[] =>
  rows.map(([departmentId, ids]) => ({ departmentId, measures: ids.map((id) => ({ id })) }));

/** test/fixtures/measures-small */
export const SMALL_TAX_ENTERPRISE = groups([
  ['alpha', ['alpha.no-procurement', 'alpha.no-subsidy']],
  ['beta', ['beta.strict-review']],
]);

/** measures/data, the catalogue `npm start` uses */
export const CATALOGUE_TAX_ENTERPRISE = groups([
  ['commerce', ['commerce.restrict-trade-fund', 'commerce.exclude-awards']],
  [
    'development-reform',
    [
      'development-reform.restrict-project-approval',
      'development-reform.restrict-investment-subsidy',
      'development-reform.restrict-bond-issuance',
      'development-reform.restrict-franchise',
    ],
  ],
  ['ecology-environment', ['ecology-environment.restrict-env-fund', 'ecology-environment.strict-eia-approval']],
  ['emergency-management', ['emergency-management.strict-safety-licence', 'emergency-management.restrict-safety-fund']],
  ['finance', ['finance.restrict-government-procurement', 'finance.restrict-fiscal-subsidy']],
  [
    'housing-construction',
    [
      'housing-construction.restrict-bidding',
      'housing-construction.strict-qualification-review',
      'housing-construction.exclude-awards',
    ],
  ],
  ['human-resources', ['human-resources.restrict-employment-subsidy']],
  ['industry-it', ['industry-it.restrict-industrial-fund', 'industry-it.restrict-recognition']],
  [
    'market-regulation',
    ['market-regulation.key-supervision', 'market-regulation.strict-licensing', 'market-regulation.exclude-awards'],
  ],
  [
    'natural-resources',
    [
      'natural-resources.restrict-land-bidding',
      'natural-resources.restrict-mining-rights',
      'natural-resources.strict-surveying-qualification',
    ],
  ],
  ['public-resources', ['public-resources.restrict-trading']],
  ['sasac', ['sasac.restrict-state-asset-transfer', 'sasac.soe-procurement-restriction']],
  ['tax', ['tax.d-level-credit', 'tax.restrict-tax-incentives', 'tax.strict-invoice-supply']],
  [
    'transport',
    ['transport.restrict-bidding', 'transport.strict-operating-licence', 'transport.restrict-transport-subsidy'],
  ],
]);

/** The groups for the catalogue in `measuresDir` (the small fixture or, by default, measures/data). */
export function expectedGroups(measuresDir?: string): ExpectedGroup[] {
  if (measuresDir === undefined) return CATALOGUE_TAX_ENTERPRISE;
  if (measuresDir === SMALL_MEASURES) return SMALL_TAX_ENTERPRISE;
  throw new Error(`no written-out expectation for the catalogue in ${measuresDir}`);
}
