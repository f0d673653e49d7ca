/** The working-day calendar: any signed-in role reads a year; the credit office enters its arrangement. */
import { HolidayArrangement } from '../../domain/holiday-arrangement';
import { Role } from '../auth';
import { defineRoute, type AnyRoute } from '../route';
import {
  CalendarYearParams,
  CalendarYearView,
  PreviewView,
  PutResult,
  type CalendarService,
} from '../services/calendar-service';

export function calendarRoutes(svc: CalendarService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/calendar/:year',
      tag: '工作日历',
      roles: [...Role.options],
      summary:
        '某年的节假日与调休上班日（covered：是否已有国务院安排；source：office 信用办录入 / package 软件包 / none）',
      params: CalendarYearParams,
      response: CalendarYearView,
      errors: [400],
      handler: ({ params }) => svc.get(params.year),
    }),
    defineRoute({
      method: 'put',
      path: '/office/calendar/:year',
      tag: '工作日历',
      roles: ['office'],
      summary:
        '录入某年的节假日安排（国务院办公厅通知）：新版本生效并重新计算受影响的在办期限；同一内容重复提交不产生新版本',
      params: CalendarYearParams,
      body: HolidayArrangement,
      response: PutResult,
      status: 201,
      alsoStatus: [200], // the same entry again: nothing changes
      errors: [400, 409, 422],
      audit: {
        action: 'calendar.arrangement.put',
        target: ({ params }) => ({ kind: 'calendar', id: String(params.year) }),
        before: ({ params }) => svc.get(params.year),
      },
      handler: ({ params, body, req }) => svc.put(params.year, body, req.principal!),
    }),
    defineRoute({
      method: 'post',
      path: '/office/calendar/:year/preview',
      tag: '工作日历',
      roles: ['office'],
      summary: '预览：按录入的安排逐月计算工作日数，与软件包数据对照（不保存）',
      params: CalendarYearParams,
      body: HolidayArrangement,
      response: PreviewView,
      errors: [400, 422],
      handler: async ({ params, body }) => svc.preview(params.year, body),
    }),
  ];
}
