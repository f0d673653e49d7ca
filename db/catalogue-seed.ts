/** Seeds the measures catalogue into MongoDB (idempotent), replacing what the files no longer hold. */
import mongoose from 'mongoose';
import type { Catalogue } from '../measures/catalogue';

export async function seedCatalogue(c: Catalogue): Promise<{ departments: number; measures: number }> {
  const db = mongoose.connection.db!;
  const deps = db.collection<{ _id: string }>('departments');
  const meas = db.collection<{ _id: string }>('measures');
  if (c.departments.length) {
    await deps.bulkWrite(
      c.departments.map((d) => ({ replaceOne: { filter: { _id: d.id }, replacement: { ...d }, upsert: true } })),
    );
  }
  if (c.measures.length) {
    await meas.bulkWrite(
      c.measures.map((m) => ({
        replaceOne: {
          filter: { _id: m.id },
          replacement: { ...m, departmentId: c.departmentOf.get(m.id)!.id },
          upsert: true,
        },
      })),
    );
  }
  await deps.deleteMany({ _id: { $nin: c.departments.map((d) => d.id) } });
  await meas.deleteMany({ _id: { $nin: c.measures.map((m) => m.id) } });
  return { departments: c.departments.length, measures: c.measures.length };
}
