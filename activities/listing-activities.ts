/** Activities of the listing workflow. Side effects only; each is safe to retry. */
import {
  planNotice as planNoticePure,
  planTask,
  type NoticePlan,
  type NoticePlanInput,
  type TaskPlan,
} from '../domain/listing-plan';
import { cstDate } from '../domain/cst';
import { toMeasureRef } from '../domain/measure';
import { EditionCatalogueSource } from '../db/edition-catalogue';
import { loadCatalogue, type Catalogue } from '../measures/catalogue';
import { matchEntry, type EntryFacts } from '../measures/matching';
import { catalogueAsCity, fanOut } from '../domain/fan-out';
import { fanOutNodes } from '../db/organisations';
import type { MatchedGroup, ProjectionBatch } from '../workflows/listing-types';
import { writeProjection } from './projection';

let catalogue: Catalogue | undefined;
export function useCatalogue(c: Catalogue): void {
  catalogue = c;
}
function currentCatalogue(): Catalogue {
  return (catalogue ??= loadCatalogue());
}
const editionCatalogues = new EditionCatalogueSource(currentCatalogue);

export async function project(batch: ProjectionBatch): Promise<void> {
  await writeProjection(batch);
}

/**
 * The entry's measures in the editions in force on `onDate` (the CST day it takes effect or is re-matched;
 * today when absent, as histories recorded before editions existed called it), grouped by list and fanned
 * out to the receiving departments (domain/fan-out.ts): the city level's and, when `region` is given, that
 * region's, as the organisation tree has them now; a department with an edition of its own in force applies
 * it. Before the tree exists (no migration run) the catalogue's departments are the city level.
 */
export async function matchMeasures(facts: EntryFacts & { region?: string; onDate?: string }): Promise<MatchedGroup[]> {
  const inForce = await editionCatalogues.on(facts.onDate ?? cstDate(new Date()));
  const nodes = await fanOutNodes(facts.region);
  const city = nodes.city?.departments ?? catalogueAsCity(currentCatalogue().departments);
  const own = (id: string) => inForce.listsInForce.has(id);
  return fanOut(matchEntry(inForce, facts), { city, region: nodes.region }, own).map((g) => {
    const acks = g.measures.map((m) => m.ackPeriodWorkingDays).filter((x): x is number => x !== undefined);
    const fbs = g.measures.map((m) => m.feedbackPeriodWorkingDays).filter((x): x is number => x !== undefined);
    const webhookUrl = currentCatalogue().departments.find((d) => d.id === g.departmentId)?.webhookUrl;
    return {
      departmentId: g.departmentId,
      departmentName: g.departmentName,
      ...(webhookUrl ? { webhookUrl } : {}),
      measures: g.measures.map((m) => toMeasureRef(m, inForce.editionOf.get(m.id))),
      ...(inForce.editionOf.has(g.measures[0].id) ? { edition: inForce.editionOf.get(g.measures[0].id) } : {}),
      // the strictest period among the department's matched measures governs its task
      ackPeriodWorkingDays: acks.length ? Math.min(...acks) : undefined,
      feedbackPeriodWorkingDays: fbs.length ? Math.min(...fbs) : undefined,
    };
  });
}

export async function planNotice(input: NoticePlanInput) {
  return planNoticePure(input);
}

export async function planTasks(effectiveAt: string, groups: MatchedGroup[]) {
  return groups.map((g) => planTask(effectiveAt, g));
}

/** What a listing's start plans in one step: its notice and, when that is already over, its tasks. */
export interface ListingStartPlan {
  notice: NoticePlan;
  /** present when the listing takes effect at `at`: its measures and tasks, planned from `at` */
  effective?: { groups: MatchedGroup[]; plans: TaskPlan[] };
}

/**
 * The notice plan, and when its window is over by `at` (served with the decision, or long ago) the entry's
 * measures in force on `at`'s CST day and its tasks planned from `at`: what planNotice, matchMeasures and
 * planTasks return one after another, in one local activity (one activation and one marker instead of three).
 */
export async function planListingStart(input: {
  notice: NoticePlanInput;
  facts: EntryFacts & { region?: string };
  at: string;
}): Promise<ListingStartPlan> {
  const notice = planNoticePure(input.notice);
  if (Date.parse(notice.effectiveAt) > Date.parse(input.at)) return { notice };
  const groups = await matchMeasures({ ...input.facts, onDate: cstDate(new Date(input.at)) });
  return { notice, effective: { groups, plans: await planTasks(input.at, groups) } };
}
