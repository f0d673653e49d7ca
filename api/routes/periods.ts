/** The city's own periods (本市配置的期限): read by the office and the auditor, a new row by the office. */
import { z } from 'zod';
import { CityPeriodRequest } from '../../domain/city-period';
import { defineRoute, type AnyRoute } from '../route';
import { PeriodRowView, type PeriodService } from '../services/period-service';

export function periodRoutes(svc: PeriodService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/office/periods',
      tag: '期限配置',
      roles: ['office', 'auditor'],
      summary: '本市配置的期限：规则表中各行（代码内置与信用办录入），按生效日期',
      response: z.array(PeriodRowView),
      handler: () => svc.list(),
    }),
    defineRoute({
      method: 'post',
      path: '/office/periods',
      tag: '期限配置',
      roles: ['office'],
      summary: '为本市配置的期限新增一行（自生效日期起适用于新案件，在办案件不变）',
      body: CityPeriodRequest,
      response: PeriodRowView,
      status: 201,
      errors: [400, 409, 422],
      audit: {
        action: 'rules.period.add',
        target: (_i, r) => ({ kind: 'rule', id: `${(r as PeriodRowView).key}@${(r as PeriodRowView).effectiveFrom}` }),
      },
      handler: ({ body, req }) => svc.add(body, req.principal!),
    }),
  ];
}
