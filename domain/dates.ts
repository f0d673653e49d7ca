import { z } from 'zod';

/** A civil date YYYY-MM-DD that exists in the calendar (2026-02-30 is refused). */
export const CivilDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, '日期不存在')
  .meta({ format: 'date' }); // RFC 3339 full-date, which is exactly what the two checks accept
