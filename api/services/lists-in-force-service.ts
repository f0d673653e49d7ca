/**
 * The measures lists in force on a date (`GET /measures`), read from the edition store: the published
 * editions, the suspensions and the organisation tree, with the files of measures/data for a department
 * the store does not know yet. A few small reads per request (the store holds one document per edition).
 */
import { cstDate } from '../../domain/cst';
import { listsInForce } from '../../domain/lists-in-force';
import { listSuspensions, publishedEditions } from '../../db/measure-editions';
import { orgNodeDocs, toOrgNode } from '../../db/organisations';
import type { Catalogue } from '../../measures/catalogue';
import { toListsInForceView } from '../views/lists-in-force-views';

export class ListsInForceService {
  constructor(
    private readonly files: Catalogue,
    private readonly today: () => string = () => cstDate(new Date()),
  ) {}

  async on(date?: string) {
    const onDate = date ?? this.today();
    const [published, suspended, nodes] = await Promise.all([publishedEditions(), listSuspensions(), orgNodeDocs()]);
    const lists = listsInForce({
      files: this.files,
      published,
      suspensions: new Map(suspended.map((s) => [s.measureId, { at: s.at, reason: s.reason }])),
      nodes: nodes.map(toOrgNode),
      onDate,
    });
    return toListsInForceView(onDate, lists);
  }
}
