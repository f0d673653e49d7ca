/** Request bodies of the credit service agency tests: agencies with fresh, valid USCCs. */
import { usccCheckChar } from '../../domain/identifiers';

let n = Math.floor(Math.random() * 1e6);

/** A fresh valid USCC (region 130900, Cangzhou). */
export function freshUscc(): string {
  const first17 = `91130900MA${String(n++ % 1e7).padStart(7, '0')}`;
  return first17 + usccCheckChar(first17);
}

export const agencyBody = (over: Record<string, unknown> = {}) => ({
  uscc: freshUscc(),
  name: '沧州诚信征信服务有限公司',
  kind: 'credit_reporting',
  filing: { authority: '中国人民银行河北省分行', number: '冀0013' },
  services: ['企业征信报告', '信用评估'],
  contact: { person: '李经理', phone: '0317-2021234', address: '沧州市运河区解放西路1号' },
  ...over,
});
