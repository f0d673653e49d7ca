/**
 * The catalogue in force on a date as the worker's matching reads it: published editions and
 * suspensions from MongoDB, reloaded whenever the catalogue version (bumped in the same transaction as
 * every publication and suspension) has moved, so a match never uses a list older than the last
 * publication committed before it. One small read per match when nothing changed.
 */
import type { Catalogue } from '../measures/catalogue';
import { catalogueOn, type EditionCatalogue } from '../measures/edition-catalogue';
import type { EditionDoc } from '../domain/measure-edition';
import { catalogueVersion, publishedEditions, suspensions } from './measure-editions';

export class EditionCatalogueSource {
  private loaded?: { version: number; published: EditionDoc[]; suspended: Set<string> };
  private byDate = new Map<string, EditionCatalogue>();

  constructor(private readonly base: () => Catalogue) {}

  async on(date: string): Promise<EditionCatalogue> {
    const version = await catalogueVersion();
    if (this.loaded?.version !== version) {
      const [published, suspended] = await Promise.all([
        publishedEditions(),
        suspensions()
          .find({}, { projection: { _id: 1 } })
          .toArray(),
      ]);
      this.loaded = { version, published, suspended: new Set(suspended.map((s) => s._id)) };
      this.byDate.clear();
    }
    let c = this.byDate.get(date);
    if (!c) {
      c = catalogueOn(this.base(), this.loaded.published, this.loaded.suspended, date);
      if (this.byDate.size > 100) this.byDate.clear();
      this.byDate.set(date, c);
    }
    return c;
  }
}
