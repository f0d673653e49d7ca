/** Activity of the scheduled supervision workflow: compute the period's figures and store them. */
import { supervisionReport } from '../domain/supervision';
import { departmentCounts, saveReport } from '../db/supervision-queries';

/** Idempotent per period: the report's id is its period. */
export async function storeSupervisionReport(input: {
  from: string;
  to: string;
}): Promise<{ id: string; flagged: number }> {
  const computedAt = new Date().toISOString();
  const report = supervisionReport(
    input.from,
    input.to,
    computedAt,
    await departmentCounts(input.from, input.to, computedAt),
  );
  await saveReport(report);
  return { id: report.id, flagged: report.flagged.length };
}
