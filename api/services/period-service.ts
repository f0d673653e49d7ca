/**
 * The city's own periods: the rows of the rules table the city configures, and a new row entered by
 * the credit office (validated, stored, installed in this process at once; other processes follow).
 */
import { z } from 'zod';
import { cstDate } from '../../domain/calendar';
import { CITY_KEYS, cityPeriodRow, PERIOD_LABELS, type CityPeriodRequest } from '../../domain/city-period';
import { currentRules, RULES, type Rule } from '../../domain/rules';
import { insertRuleRow, RuleRowTakenError, ruleRows, rulesSync, type RuleRowDoc } from '../../db/rules-store';
import { fieldPath, HttpError } from '../errors';
import type { Principal } from '../auth';

export const PeriodRowView = z
  .object({
    key: z.string(),
    label: z.string(),
    unit: z.enum(['working_days', 'months', 'days', 'count']),
    value: z.number().int(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().optional(),
    source: z.string(),
    origin: z.enum(['code', 'office']),
    enteredBy: z.string().optional(),
    enteredAt: z.string().optional(),
  })
  .strict();
export type PeriodRowView = z.infer<typeof PeriodRowView>;

export function toPeriodRowView(r: Rule, doc?: RuleRowDoc): PeriodRowView {
  return {
    key: r.key,
    label: PERIOD_LABELS[r.key] ?? r.key,
    unit: r.period.unit,
    value: r.period.value,
    effectiveFrom: r.effectiveFrom,
    ...(r.effectiveTo ? { effectiveTo: r.effectiveTo } : {}),
    source: r.source,
    origin: doc ? 'office' : 'code',
    ...(doc ? { enteredBy: doc.enteredBy.name, enteredAt: doc.enteredAt } : {}),
  };
}

export class PeriodService {
  constructor(private readonly today: () => string = () => cstDate(new Date())) {}

  /** Every row of the city's configurable periods, the code's and the office's, by key and date. */
  async list(): Promise<PeriodRowView[]> {
    const docs = await ruleRows();
    const fromCode = RULES.filter((r) => !r.confirmed && CITY_KEYS.includes(r.key)).map((r) => toPeriodRowView(r));
    const fromOffice = docs.map((d) => toPeriodRowView(d, d));
    return [...fromCode, ...fromOffice].sort(
      (a, b) => a.key.localeCompare(b.key) || a.effectiveFrom.localeCompare(b.effectiveFrom),
    );
  }

  async add(req: CityPeriodRequest, by: Principal): Promise<PeriodRowView> {
    const r = cityPeriodRow(req, this.today(), currentRules());
    if (!('row' in r)) {
      const field = `body.${fieldPath(r.path)}`;
      throw new HttpError(422, 'rule_violated', `字段 ${field} 有误：${r.message}`, [{ field, message: r.message }]);
    }
    const doc: RuleRowDoc = {
      _id: `${r.row.key}@${r.row.effectiveFrom}`,
      ...r.row,
      document: req.document,
      enteredAt: new Date().toISOString(),
      enteredBy: { sub: by.sub, name: by.name },
    };
    try {
      await insertRuleRow(doc);
    } catch (e) {
      if (e instanceof RuleRowTakenError)
        throw new HttpError(409, 'conflict', `该期限自${doc.effectiveFrom}起的新值已由他人录入，请刷新后查看`);
      throw e;
    }
    await rulesSync().reload();
    return toPeriodRowView(r.row, doc);
  }
}
