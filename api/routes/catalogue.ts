/** The measures lists in force (现行措施清单): per department the published edition in force on a date. */
import { z } from 'zod';
import { CivilDate } from '../../domain/dates';
import { defineRoute, type AnyRoute } from '../route';
import type { ListsInForceService } from '../services/lists-in-force-service';
import { ListsInForceView } from '../views/lists-in-force-views';

export function catalogueRoutes(lists: ListsInForceService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/measures',
      tag: '措施清单',
      roles: ['office', 'department'],
      summary: '各部门（市本级与县级）现行奖惩措施清单：施行的版本、生效日期，暂停实施的措施已标明',
      query: z.strictObject({ on: CivilDate.optional().describe('查看哪一天施行的清单，缺省为今天') }),
      response: ListsInForceView,
      handler: ({ query }) => lists.on(query.on),
    }),
  ];
}
