/** Supervision (督查考核) for the API: live figures for any period, and the stored periodic reports. */
import { supervisionReport, type SupervisionReport } from '../../domain/supervision';
import { departmentCounts, latestReports } from '../../db/supervision-queries';
import type { PageRequest } from '../../domain/pagination';

export async function computeSupervision(from: string, to: string, now = new Date()): Promise<SupervisionReport> {
  const computedAt = now.toISOString();
  return supervisionReport(from, to, computedAt, await departmentCounts(from, to, computedAt));
}

export const storedReports = (page: PageRequest) => latestReports(page);
