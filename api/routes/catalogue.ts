/** The measures catalogue (奖惩措施清单) as loaded and validated at start-up. */
import { z } from 'zod';
import { Department, Measure } from '../../domain/measure';
import type { Catalogue } from '../../measures/catalogue';
import { defineRoute, type AnyRoute } from '../route';

export function catalogueRoutes(catalogue: Catalogue): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/measures',
      tag: '措施清单',
      roles: ['office', 'department'],
      summary: '各部门奖惩措施清单',
      response: z.strictObject({ departments: z.array(Department.extend({ measures: z.array(Measure) })) }),
      handler: async () => ({
        departments: catalogue.departments.map((d) => ({
          ...d,
          measures: catalogue.measures.filter((m) => catalogue.departmentOf.get(m.id)?.id === d.id),
        })),
      }),
    }),
  ];
}
