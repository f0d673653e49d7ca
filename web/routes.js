// Which page answers which path, for which roles; the navigation of each role; each role's home.
import { Dashboard } from './pages/office-dashboard.js';
import { Listings } from './pages/office-listings.js';
import { NewListing } from './pages/office-listing-new.js';
import { ListingDetail } from './pages/office-listing-detail.js';
import { Imports, ImportDetail } from './pages/office-imports.js';
import { UpstreamBatches, UpstreamBatchDetail } from './pages/office-upstream.js';
import { OfficeCases } from './pages/office-cases.js';
import { Supervision } from './pages/office-supervision.js';
import { OfficeCalendar } from './pages/office-calendar.js';
import { OfficePeriods } from './pages/office-periods.js';
import { Inbox } from './pages/dept-inbox.js';
import { CheckPage } from './pages/dept-check.js';
import { DeptSupervision } from './pages/dept-supervision.js';
import { AuthorityCases } from './pages/authority-cases.js';
import { MyRecords } from './pages/subject-records.js';
import { MyCases } from './pages/subject-cases.js';
import { MyCreditFile, MyReports } from './pages/subject-credit.js';
import { MyAuthorisations } from './pages/subject-authorisations.js';
import { DeptCredit } from './pages/dept-credit.js';
import { OfficeCreditFile, OfficeReports } from './pages/office-credit.js';
import { ReportDetail } from './pages/report-detail.js';
import { ThirdPartyReports } from './pages/third-party-reports.js';
import { NoticePrint } from './pages/notices.js';
import { Organisations } from './pages/organisations.js';
import { SupervisionLevels } from './pages/supervision-levels.js';
import { DeptEdition, DeptEditions } from './pages/dept-editions.js';
import { OfficeEdition, OfficeEditions } from './pages/office-editions.js';
import { EditionDiffPage } from './pages/edition-parts.js';
import { OfficeAgencies, OfficeAgencyDetail } from './pages/office-agencies.js';

const OFFICE = ['office', 'auditor'];
/** The offices of every level: a county office's pages show its own region only. */
const OFFICES = [...OFFICE, 'county_office'];

export const ROUTES = [
  { path: '/office', page: Dashboard, roles: OFFICE },
  { path: '/office/listings', page: Listings, roles: OFFICES },
  { path: '/office/listings/new', page: NewListing, roles: ['office', 'county_office'] },
  { path: '/office/listings/:entryId', page: ListingDetail, roles: OFFICES },
  { path: '/office/imports', page: Imports, roles: OFFICE },
  { path: '/office/imports/:importId', page: ImportDetail, roles: OFFICE },
  { path: '/office/upstream', page: UpstreamBatches, roles: OFFICE },
  { path: '/office/upstream/:batchId', page: UpstreamBatchDetail, roles: OFFICE },
  { path: '/office/cases', page: OfficeCases, roles: OFFICE },
  { path: '/office/supervision', page: Supervision, roles: OFFICE },
  { path: '/office/calendar', page: OfficeCalendar, roles: OFFICE },
  { path: '/office/periods', page: OfficePeriods, roles: OFFICE },
  { path: '/office/notices/:noticeNo', page: NoticePrint, roles: OFFICES },
  { path: '/office/levels', page: SupervisionLevels, roles: OFFICES },
  { path: '/office/organisations', page: Organisations, roles: OFFICES },
  { path: '/dept/inbox', page: Inbox, roles: ['department'] },
  { path: '/dept/check', page: CheckPage, roles: ['department'] },
  { path: '/dept/supervision', page: DeptSupervision, roles: ['department'] },
  { path: '/authority/cases', page: AuthorityCases, roles: ['authority'] },
  { path: '/me/records', page: MyRecords, roles: ['subject'] },
  { path: '/me/cases', page: MyCases, roles: ['subject'] },
  { path: '/me/credit', page: MyCreditFile, roles: ['subject'] },
  { path: '/me/reports', page: MyReports, roles: ['subject'] },
  { path: '/me/authorisations', page: MyAuthorisations, roles: ['subject'] },
  { path: '/dept/credit', page: DeptCredit, roles: ['department'] },
  { path: '/dept/credit/:subjectId', page: DeptCredit, roles: ['department'] },
  { path: '/office/credit', page: OfficeCreditFile, roles: OFFICE },
  { path: '/office/reports', page: OfficeReports, roles: OFFICE },
  { path: '/tp/reports', page: ThirdPartyReports, roles: ['third_party'] },
  { path: '/dept/editions', page: DeptEditions, roles: ['department'] },
  { path: '/dept/editions/:number', page: DeptEdition, roles: ['department'] },
  { path: '/office/editions', page: OfficeEditions, roles: OFFICE },
  { path: '/office/editions/:departmentId/:number', page: OfficeEdition, roles: OFFICE },
  { path: '/editions/:departmentId/diff/:from/:to', page: EditionDiffPage, roles: [...OFFICE, 'department'] },
  { path: '/office/agencies', page: OfficeAgencies, roles: OFFICE },
  { path: '/office/agencies/:uscc', page: OfficeAgencyDetail, roles: OFFICE },
  { path: '/reports/:reportNo', page: ReportDetail, roles: [...OFFICE, 'department', 'subject', 'third_party'] },
];

export const NAV = [
  { path: '/office', label: '工作台', roles: OFFICE, exact: true },
  { path: '/office/listings', label: '名单条目', roles: OFFICES },
  { path: '/office/imports', label: '批量导入', roles: OFFICE },
  { path: '/office/upstream', label: '上级平台批次', roles: OFFICE },
  { path: '/office/cases', label: '异议与修复', roles: OFFICE },
  { path: '/office/supervision', label: '督查考核', roles: OFFICE },
  { path: '/office/levels', label: '分级考核', roles: OFFICES },
  { path: '/office/calendar', label: '工作日历', roles: OFFICE },
  { path: '/office/periods', label: '期限配置', roles: OFFICE },
  { path: '/office/organisations', label: '组织机构', roles: OFFICES },
  { path: '/dept/inbox', label: '待办任务', roles: ['department'] },
  { path: '/dept/check', label: '逢办必查', roles: ['department'] },
  { path: '/dept/supervision', label: '本部门考核', roles: ['department'] },
  { path: '/authority/cases', label: '异议与修复办理', roles: ['authority'] },
  { path: '/me/records', label: '我的信用记录', roles: ['subject'] },
  { path: '/me/cases', label: '我的申请', roles: ['subject'] },
  { path: '/me/credit', label: '我的信用档案', roles: ['subject'] },
  { path: '/me/reports', label: '信用报告', roles: ['subject'] },
  { path: '/me/authorisations', label: '授权管理', roles: ['subject'] },
  { path: '/dept/credit', label: '信用档案与报告', roles: ['department'] },
  { path: '/office/credit', label: '信用档案', roles: OFFICE },
  { path: '/office/reports', label: '信用报告', roles: OFFICE },
  { path: '/tp/reports', label: '授权查询', roles: ['third_party'] },
  { path: '/dept/editions', label: '措施清单', roles: ['department'] },
  { path: '/office/editions', label: '措施清单审核', roles: OFFICE },
  { path: '/office/agencies', label: '信用服务机构', roles: OFFICE },
];

export const HOME = {
  office: '/office',
  auditor: '/office',
  department: '/dept/inbox',
  authority: '/authority/cases',
  subject: '/me/records',
  third_party: '/tp/reports',
  county_office: '/office/listings',
};
