// 工作日历 (office): a year's holidays and adjusted working days, where they come from, and the office's
// entry of the State Council notice with a month-by-month preview beside the package's figures.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { ErrorBox, Field, html, Loading, Notice, PageHeader, todayCst, useAction, useAsync } from '../lib/ui.js';

const SOURCE = {
  office: '信用办录入（国务院办公厅通知）',
  package: 'chinese-days 软件包',
  none: '无：仅按周末计算（临时）',
};
const emptyHoliday = () => ({ name: '', from: '', to: '' });

export function OfficeCalendar({ session }) {
  const [year, setYear] = useState(Number(todayCst().slice(0, 4)) + 1);
  const cal = useAsync(() => api.get(`/calendar/${year}`), [year]);
  return html`<section>
    <${PageHeader} title="工作日历" />
    <form class="filters" onSubmit=${(e) => e.preventDefault()} aria-label="选择年份">
      <label
        >年份
        <select value=${year} onChange=${(e) => setYear(Number(e.target.value))}>
          ${[-1, 0, 1, 2].map((d) => {
            const y = Number(todayCst().slice(0, 4)) + d;
            return html`<option value=${y}>${y}年</option>`;
          })}
        </select></label
      >
    </form>
    <${ErrorBox} error=${cal.error} />
    ${
      !cal.data
        ? html`<${Loading} what="日历" error=${cal.error} />`
        : html`<${YearView} c=${cal.data} /> ${
              session.role === 'office' &&
              html`<${ArrangementForm} key=${year} year=${year} current=${cal.data} onSaved=${cal.reload} />`
            }`
    }
  </section>`;
}

function YearView({ c }) {
  return html`<div class="card">
    <h2>${c.year}年：${c.covered ? '已覆盖' : '未覆盖（期限为临时期限）'}</h2>
    <p>
      来源：${SOURCE[c.source]}${c.notice ? `，${c.notice.number}（${c.notice.date}），第${c.version}版，${c.enteredBy}录入` : ''}
    </p>
    <${Months} months=${c.months} caption=${`${c.year}年各月工作日数`} />
  </div>`;
}

function Months({ months, caption }) {
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">月份</th>
        <th scope="col">工作日</th>
        <th scope="col">软件包数据</th>
      </tr>
    </thead>
    <tbody>
      ${months.map(
        (m) =>
          html`<tr class=${m.packageWorkingDays !== null && m.packageWorkingDays !== m.workingDays ? 'warn' : ''}>
            <th scope="row">${m.month}月</th>
            <td>${m.workingDays}</td>
            <td>${m.packageWorkingDays ?? '无数据'}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function ArrangementForm({ year, current, onSaved }) {
  const [notice, setNotice] = useState(current.notice ?? { number: '', date: '' });
  const [holidays, setHolidays] = useState(current.source === 'office' ? current.holidays : [emptyHoliday()]);
  const [workdays, setWorkdays] = useState((current.source === 'office' ? current.workdays : []).join('\n'));
  const [preview, setPreview] = useState(/** @type {any} */ (undefined));
  const check = useAction();
  const save = useAction();
  const body = () => ({
    notice,
    holidays,
    workdays: workdays.split(/[\s,，、]+/).filter(Boolean),
  });
  useEffect(() => setPreview(undefined), [JSON.stringify(body())]);
  const setH = (i, k) => (e) => setHolidays(holidays.map((h, j) => (j === i ? { ...h, [k]: e.target.value } : h)));
  const errorAt = (field) =>
    [check.error, save.error].flatMap((e) => e?.details ?? []).find((d) => d.field === field)?.message;
  return html`<form
    class="card"
    aria-label=${`录入${year}年节假日安排`}
    onSubmit=${(e) => {
      e.preventDefault();
      void save.run(
        async () => {
          const r = await api.put(`/office/calendar/${year}`, body());
          onSaved();
          return r;
        },
        (r) =>
          r.created
            ? `已保存为第${r.calendar.version}版${r.replanning ? '，正在重新计算受影响的在办期限' : ''}`
            : '内容与现行版本相同，未产生新版本',
      );
    }}
  >
    <h2>录入${year}年节假日安排（国务院办公厅通知）</h2>
    <div class="grid2">
      <${Field} label="通知文号" required error=${errorAt('body.notice.number')}>
        ${(p) =>
          html`<input
            ...${p}
            value=${notice.number}
            onInput=${(e) => setNotice({ ...notice, number: e.target.value })}
          />`}
      <//>
      <${Field} label="印发日期" required error=${errorAt('body.notice.date')}>
        ${(p) =>
          html`<input
            ...${p}
            type="date"
            value=${notice.date}
            onInput=${(e) => setNotice({ ...notice, date: e.target.value })}
          />`}
      <//>
    </div>
    <fieldset>
      <legend>放假时段</legend>
      ${holidays.map(
        (h, i) =>
          html`<div class="grid3" key=${i}>
            <${Field}
              label=${`第${i + 1}段 节日`}
              error=${errorAt(`body.holidays[${i}]`) ?? errorAt(`body.holidays[${i}].name`)}
            >
              ${(p) => html`<input ...${p} value=${h.name} onInput=${setH(i, 'name')} />`}
            <//>
            <${Field} label=${`第${i + 1}段 首日`} error=${errorAt(`body.holidays[${i}].from`)}>
              ${(p) => html`<input ...${p} type="date" value=${h.from} onInput=${setH(i, 'from')} />`}
            <//>
            <${Field} label=${`第${i + 1}段 末日`} error=${errorAt(`body.holidays[${i}].to`)}>
              ${(p) => html`<input ...${p} type="date" value=${h.to} onInput=${setH(i, 'to')} />`}
            <//>
          </div>`,
      )}
      <button type="button" class="button" onClick=${() => setHolidays([...holidays, emptyHoliday()])}>
        增加放假时段
      </button>
    </fieldset>
    <${Field}
      label="调休上班日（周六或周日，每行一个日期）"
      hint="如 2027-02-20"
      error=${
        [check.error, save.error].flatMap((e) => e?.details ?? []).find((d) => d.field.startsWith('body.workdays'))
          ?.message
      }
    >
      ${(p) =>
        html`<textarea ...${p} rows="4" value=${workdays} onInput=${(e) => setWorkdays(e.target.value)}></textarea>`}
    <//>
    <${ErrorBox} error=${check.error ?? save.error} />
    <div class="actions">
      <button
        type="button"
        class="button"
        disabled=${check.busy}
        onClick=${() =>
          void check.run(async () => setPreview(await api.post(`/office/calendar/${year}/preview`, body())))}
      >
        预览各月工作日
      </button>
      <button type="submit" class="button primary" disabled=${save.busy}>保存</button>
    </div>
    ${preview && html`<${Months} months=${preview.months} caption="预览：按本次录入计算的各月工作日数" />`}
    ${save.done && html`<${Notice}>${save.done}<//>`}
  </form>`;
}
