/** The organisation tree's rules (domain/organisation.ts), its seed, and the fan-out rule (domain/fan-out.ts). */
import { CITY_ID, seedCity, seedRegions } from '../../domain/cangzhou-divisions';
import { catalogueAsCity, fanOut } from '../../domain/fan-out';
import { OrgNode, OrgTree, treeIssues } from '../../domain/organisation';

const LISTS = new Set(['tax', 'market-regulation', 'finance', 'transport']);
const city = seedCity([
  { id: 'tax', name: '沧州市税务局', measuresList: 'tax' },
  { id: 'transport', name: '沧州市交通运输局', measuresList: 'transport' },
]);
const regions = seedRegions(LISTS);

describe('the seed', () => {
  it("holds Cangzhou's 16 county-level divisions and its 3 zones under the city", () => {
    expect(regions.map((n) => n.name)).toEqual([
      ...['运河区', '新华区', '泊头市', '任丘市', '黄骅市', '河间市', '沧县', '青县', '东光县', '海兴县', '盐山县'],
      ...[
        '肃宁县',
        '南皮县',
        '吴桥县',
        '献县',
        '孟村回族自治县',
        '渤海新区',
        '沧州经济技术开发区',
        '沧州高新技术产业开发区',
      ],
    ]);
    expect(regions.filter((n) => n.level === 'zone').map((n) => n.id)).toEqual(['bohai', 'jingkai', 'gaoxin']);
    expect(new Set(regions.map((n) => n.parentId))).toEqual(new Set([CITY_ID]));
    expect(treeIssues([city, ...regions], LISTS)).toEqual([]);
  });

  it("gives each county its own departments for the lists the catalogue has (a county's tax bureau is its own)", () => {
    const botou = regions.find((n) => n.id === 'botou')!;
    expect(botou.departments).toEqual([
      { id: 'botou-tax', name: '国家税务总局泊头市税务局', measuresList: 'tax' },
      { id: 'botou-market-regulation', name: '泊头市市场监督管理局', measuresList: 'market-regulation' },
      { id: 'botou-finance', name: '泊头市财政局', measuresList: 'finance' },
    ]);
    expect(regions.find((n) => n.id === 'yunhe')!.departments[0].name).toBe('国家税务总局沧州市运河区税务局');
    expect(regions.find((n) => n.id === 'bohai')!.departments[0].name).toBe('国家税务总局沧州渤海新区税务局');
    expect(OrgNode.array().safeParse([city, ...regions]).success).toBe(true);
  });
});

describe('treeIssues', () => {
  const botou = regions.find((n) => n.id === 'botou')!;
  it('refuses a second city, a county under a county, a department id used twice and an unknown list', () => {
    const second = { ...city, id: 'other' };
    expect(treeIssues([city, second], LISTS).map((i) => i.message)).toContain(
      '组织机构应有且只有一个市本级，现有 2 个',
    );
    const nested = { ...botou, id: 'nested', departments: [], parentId: 'botou' };
    expect(treeIssues([city, botou, nested], LISTS)).toEqual([
      { path: ['nested', 'parentId'], message: '县（市、区）和园区的上级应为市本级，“泊头市”不是' },
    ]);
    const twice = { ...botou, departments: [...botou.departments, { ...city.departments[0] }] };
    expect(treeIssues([city, twice], LISTS)).toEqual([
      { path: ['botou', 'departments', 3, 'id'], message: '部门编号 tax 已被“沧州市沧州市税务局”使用' },
    ]);
    const unknown = { ...botou, departments: [{ id: 'botou-x', name: '泊头某局', measuresList: 'nope' }] };
    expect(treeIssues([city, unknown], LISTS)).toEqual([
      { path: ['botou', 'departments', 0, 'measuresList'], message: '措施清单“nope”不存在' },
    ]);
    const orphan = { ...botou, parentId: 'missing' };
    expect(treeIssues([city, orphan], LISTS)[0].message).toBe('上级机构“missing”不存在');
  });

  it('finds the node of a department at any level', () => {
    const tree = new OrgTree([city, ...regions]);
    expect(tree.nodeOf('tax')?.id).toBe('cangzhou');
    expect(tree.nodeOf('botou-tax')?.id).toBe('botou');
    expect(tree.department('botou-tax')?.name).toBe('国家税务总局泊头市税务局');
    expect(tree.nodeOf('nowhere')).toBeUndefined();
  });
});

describe('fanOut', () => {
  const groups = [
    { departmentId: 'tax', departmentName: '沧州市税务局', measures: ['tax.a'] },
    { departmentId: 'finance', departmentName: '沧州市财政局', measures: ['finance.a'] },
  ];
  const botou = regions.find((n) => n.id === 'botou')!;

  it('without a region: the city level only, as before (a list without a city department reaches no one)', () => {
    expect(fanOut(groups, { city: city.departments })).toEqual([
      { departmentId: 'tax', departmentName: '沧州市税务局', measures: ['tax.a'] },
    ]);
  });

  it("with a county: the city's and the county's departments applying each matched list, ordered by id", () => {
    expect(fanOut(groups, { city: city.departments, region: botou }).map((g) => [g.departmentId, g.measures])).toEqual([
      ['botou-finance', ['finance.a']],
      ['botou-tax', ['tax.a']],
      ['tax', ['tax.a']],
    ]);
  });

  it('a county department with its own list in force applies it instead of the city counterpart’s', () => {
    const withOwn = [
      ...groups,
      { departmentId: 'botou-tax', departmentName: '泊头市税务局', measures: ['botou-tax.a'] },
    ];
    const own = (id: string) => id === 'botou-tax';
    expect(
      fanOut(withOwn, { city: city.departments, region: botou }, own).map((g) => [g.departmentId, g.measures]),
    ).toEqual([
      ['botou-finance', ['finance.a']],
      ['botou-tax', ['botou-tax.a']],
      ['tax', ['tax.a']],
    ]);
    // its own list not in force (yet): the city counterpart's, and its own group reaches no one
    expect(fanOut(withOwn, { city: city.departments, region: botou }).map((g) => [g.departmentId, g.measures])).toEqual(
      [
        ['botou-finance', ['finance.a']],
        ['botou-tax', ['tax.a']],
        ['tax', ['tax.a']],
      ],
    );
  });

  it('the catalogue as the city level maps each list to its own department', () => {
    expect(catalogueAsCity([{ id: 'tax', name: '税务局' }])).toEqual([
      { id: 'tax', name: '税务局', measuresList: 'tax' },
    ]);
    expect(fanOut(groups, { city: catalogueAsCity([{ id: 'finance', name: '财政局' }]) })).toEqual([
      { departmentId: 'finance', departmentName: '财政局', measures: ['finance.a'] },
    ]);
  });
});
