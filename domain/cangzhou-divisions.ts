/**
 * The seed of the organisation tree: Cangzhou's county-level divisions and its three zones, each with its
 * credit office and the county departments that apply the city's measures lists. The city level's own
 * departments are not here: they are the catalogue's departments (measures/data/*.json), taken over by the
 * migration (db/organisations.ts). After the first start the tree is the office's to manage; the seed only
 * adds what is missing.
 */
import type { OrgDepartment, OrgNode } from './organisation';

export const CITY_ID = 'cangzhou';

/** id, name, level: the 16 counties, districts and county-level cities, then the zones. */
const DIVISIONS: Array<[string, string, 'county' | 'zone']> = [
  ['yunhe', '运河区', 'county'],
  ['xinhua', '新华区', 'county'],
  ['botou', '泊头市', 'county'],
  ['renqiu', '任丘市', 'county'],
  ['huanghua', '黄骅市', 'county'],
  ['hejian', '河间市', 'county'],
  ['cangxian', '沧县', 'county'],
  ['qingxian', '青县', 'county'],
  ['dongguang', '东光县', 'county'],
  ['haixing', '海兴县', 'county'],
  ['yanshan', '盐山县', 'county'],
  ['suning', '肃宁县', 'county'],
  ['nanpi', '南皮县', 'county'],
  ['wuqiao', '吴桥县', 'county'],
  ['xianxian', '献县', 'county'],
  ['mengcun', '孟村回族自治县', 'county'],
  ['bohai', '渤海新区', 'zone'],
  ['jingkai', '沧州经济技术开发区', 'zone'],
  ['gaoxin', '沧州高新技术产业开发区', 'zone'],
];

/** The county counterparts seeded for every division: measures list → how the county names its department. */
const COUNTY_DEPARTMENTS: Array<[string, (place: string) => string]> = [
  ['tax', (p) => `国家税务总局${p}税务局`],
  ['market-regulation', (p) => `${p}市场监督管理局`],
  ['development-reform', (p) => `${p}发展和改革局`],
  ['finance', (p) => `${p}财政局`],
  ['housing-construction', (p) => `${p}住房和城乡建设局`],
  ['human-resources', (p) => `${p}人力资源和社会保障局`],
];

/** The place name a department's name starts with: the districts after the city (沧州市运河区), 渤海新区 as
 * 沧州渤海新区; the county-level cities and counties, and the zones named with 沧州 already, as they are. */
const placeName = (name: string, level: 'county' | 'zone') => {
  if (name.startsWith('沧州')) return name;
  if (level === 'zone') return `沧州${name}`;
  return name.endsWith('区') ? `沧州市${name}` : name;
};

export function seedRegions(knownLists: ReadonlySet<string>): OrgNode[] {
  return DIVISIONS.map(([id, name, level]) => {
    const place = placeName(name, level);
    const departments: OrgDepartment[] = COUNTY_DEPARTMENTS.filter(([list]) => knownLists.has(list)).map(
      ([list, named]) => ({ id: `${id}-${list}`, name: named(place), measuresList: list }),
    );
    return { id, name, level, parentId: CITY_ID, creditOffice: { name: `${name}信用办` }, departments };
  });
}

/** The city node, its departments given (the catalogue's, by the migration). */
export const seedCity = (departments: OrgDepartment[]): OrgNode => ({
  id: CITY_ID,
  name: '沧州市',
  level: 'city',
  parentId: null,
  creditOffice: { name: '沧州市信用办' },
  departments,
});
