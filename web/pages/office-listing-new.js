// 列入名单: the listing form. The server validates (identifiers, category vs list, periods); its
// messages are shown next to the fields they concern.
import { api, getVocabulary } from '../lib/api.js';
import { ErrorBox, Field, html, Loading, PageHeader, todayCst, useAction, useAsync, useForm } from '../lib/ui.js';

const initial = () => ({
  listKind: 'black',
  category: '',
  severity: 'general',
  subjectType: 'enterprise',
  subjectCode: '',
  subjectName: '',
  authority: '',
  legalDocument: '',
  legalArticle: '',
  decisionNumber: '',
  decisionDate: todayCst(),
  reason: '',
  noticeServedOn: '',
  effectiveDate: todayCst(),
  validUntil: '',
});

export function NewListing({ session }) {
  const vocab = useAsync(getVocabulary);
  const orgs = useAsync(() => api.get('/organisations'));
  // a county office lists subjects of its own region; the city office picks one, or none (市本级)
  const county = session?.role === 'county_office';
  const [v, set] = useForm({ ...initial(), region: county ? session.orgId : '' });
  const action = useAction();
  const errors = action.error?.fieldErrors?.() ?? {};
  const err = (...keys) => keys.map((k) => errors[k]).find(Boolean);

  const submit = (e) => {
    e.preventDefault();
    const individual = v.subjectType === 'individual';
    const body = {
      subject: { type: v.subjectType, [individual ? 'idNumber' : 'uscc']: v.subjectCode.trim(), name: v.subjectName },
      listKind: v.listKind,
      category: v.category,
      ...(v.listKind === 'black' ? { severity: v.severity } : {}),
      authority: v.authority,
      legalBasis: [{ document: v.legalDocument, ...(v.legalArticle.trim() ? { article: v.legalArticle } : {}) }],
      decisionDocument: { number: v.decisionNumber, date: v.decisionDate },
      reason: v.reason,
      ...(v.noticeServedOn ? { noticeServedOn: v.noticeServedOn } : {}),
      effectiveDate: v.effectiveDate,
      validUntil: v.validUntil,
      ...(v.region ? { region: v.region } : {}),
    };
    action.run(async () => {
      const r = await api.post('/office/listings', body);
      location.hash = `#/office/listings/${r.entryId}`;
    });
  };

  if (!vocab.data)
    return html`<section>
      <${PageHeader} title="列入名单" /><${ErrorBox} error=${vocab.error} /><${Loading} />
    </section>`;
  const cats = vocab.data.categories.filter((c) => c.listKind === v.listKind);
  const codeField = v.subjectType === 'individual' ? 'subject.idNumber' : 'subject.uscc';
  return html`<section>
    <${PageHeader} title="列入名单" />
    <p class="lead">
      提交后系统启动名单流程：事前告知 → 生效公示 → 向各责任部门分派奖惩措施任务。同一决定文书重复提交不会重复列入。
    </p>
    <${ErrorBox} error=${action.error} />
    <form class="form" onSubmit=${submit} novalidate>
      <fieldset>
        <legend>名单</legend>
        <div class="row">
          <${Field} label="名单类型" required
            >${(a) =>
              html`<select
                ...${a}
                value=${v.listKind}
                onChange=${(e) => {
                  set('listKind')(e);
                  set('category')('');
                }}
              >
                ${vocab.data.listKinds.map((o) => html`<option value=${o.code}>${o.label}</option>`)}
              </select>`}<//
          >
          <${Field} label="名单类别" required error=${err('category')}
            >${(a) =>
              html`<select ...${a} value=${v.category} onChange=${set('category')}>
                <option value="">请选择</option>
                ${cats.map((o) => html`<option value=${o.code}>${o.label}</option>`)}
              </select>`}<//
          >
          ${
            v.listKind === 'black' &&
            html`<${Field} label="失信程度" required error=${err('severity')}
              >${(a) =>
                html`<select ...${a} value=${v.severity} onChange=${set('severity')}>
                  ${vocab.data.severities.map((o) => html`<option value=${o.code}>${o.label}</option>`)}
                </select>`}<//
            >`
          }
        </div>
      </fieldset>
      <fieldset>
        <legend>信用主体</legend>
        <div class="row">
          <${Field} label="主体类型" required
            >${(a) =>
              html`<select ...${a} value=${v.subjectType} onChange=${set('subjectType')}>
                ${vocab.data.subjectTypes.map((o) => html`<option value=${o.code}>${o.label}</option>`)}
              </select>`}<//
          >
          <${Field}
            label=${v.subjectType === 'individual' ? '公民身份号码' : '统一社会信用代码'}
            required
            error=${err(codeField, 'subject')}
            hint=${v.subjectType === 'individual' ? '18位，含校验码' : '18位，含校验位（GB 32100）'}
          >
            ${(a) =>
              html`<input
                ...${a}
                value=${v.subjectCode}
                onInput=${set('subjectCode')}
                maxlength="18"
                autocomplete="off"
              />`}<//
          >
          <${Field} label="名称 / 姓名" required error=${err('subject.name')}
            >${(a) => html`<input ...${a} value=${v.subjectName} onInput=${set('subjectName')} />`}<//
          >
          <${Field}
            label="注册地"
            error=${err('region')}
            hint=${county ? '县级信用办列入本地区的主体' : '县（市、区）或园区：任务同时发往该地区的部门'}
            >${(a) =>
              html`<select ...${a} value=${v.region} onChange=${set('region')} disabled=${county}>
                ${!county && html`<option value="">市本级</option>`}
                ${(orgs.data?.nodes ?? [])
                  .filter((/** @type {{ level: string }} */ n) => n.level !== 'city')
                  .filter((/** @type {{ id: string }} */ n) => !county || n.id === v.region)
                  .map(
                    (/** @type {{ id: string, name: string }} */ n) => html`<option value=${n.id}>${n.name}</option>`,
                  )}
              </select>`}<//
          >
        </div>
      </fieldset>
      <fieldset>
        <legend>认定</legend>
        <div class="row">
          <${Field} label="认定单位" required error=${err('authority')}
            >${(a) =>
              html`<input
                ...${a}
                value=${v.authority}
                onInput=${set('authority')}
                placeholder="如：国家税务总局沧州市税务局"
              />`}<//
          >
          <${Field} label="决定文书号" required error=${err('decisionDocument.number')}
            >${(a) => html`<input ...${a} value=${v.decisionNumber} onInput=${set('decisionNumber')} />`}<//
          >
          <${Field} label="决定日期" required error=${err('decisionDocument.date')}
            >${(a) => html`<input ...${a} type="date" value=${v.decisionDate} onInput=${set('decisionDate')} />`}<//
          >
        </div>
        <div class="row">
          <${Field} label="认定依据（文件）" required error=${err('legalBasis', 'legalBasis[0].document')}
            >${(a) =>
              html`<input
                ...${a}
                value=${v.legalDocument}
                onInput=${set('legalDocument')}
                placeholder="如：《重大税收违法失信主体信息公布管理办法》"
              />`}<//
          >
          <${Field} label="条款" error=${err('legalBasis[0].article')}
            >${(a) =>
              html`<input
                ...${a}
                value=${v.legalArticle}
                onInput=${set('legalArticle')}
                placeholder="如：第六条"
              />`}<//
          >
        </div>
        <${Field} label="认定事实与理由" required error=${err('reason')}
          >${(a) => html`<textarea ...${a} rows="3" value=${v.reason} onInput=${set('reason')}></textarea>`}<//
        >
      </fieldset>
      <fieldset>
        <legend>期限</legend>
        <div class="row">
          <${Field}
            label="事前告知书送达日期"
            error=${err('noticeServedOn')}
            hint="事前告知书已送达的，填写送达日期；不填则以今天为送达日起算告知期"
            >${(a) => html`<input ...${a} type="date" value=${v.noticeServedOn} onInput=${set('noticeServedOn')} />`}<//
          >
          <${Field} label="拟生效日期" required error=${err('effectiveDate')}
            >${(a) => html`<input ...${a} type="date" value=${v.effectiveDate} onInput=${set('effectiveDate')} />`}<//
          >
          <${Field} label="有效期至（含）" required error=${err('validUntil')}
            >${(a) => html`<input ...${a} type="date" value=${v.validUntil} onInput=${set('validUntil')} />`}<//
          >
        </div>
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="primary" disabled=${action.busy}>
          ${action.busy ? '提交中…' : '提交并启动名单流程'}
        </button>
        <a class="button" href="#/office/listings">取消</a>
      </div>
    </form>
  </section>`;
}
