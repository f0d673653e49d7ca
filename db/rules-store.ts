/**
 * The credit office's rows of the rules table in MongoDB (`rule_rows`), `_id` `<key>@<effectiveFrom>`:
 * inserted, never updated or deleted. `RulesSync` installs them in this process (domain/rules.ts) at
 * start and again on every change seen on a change stream.
 */
import type { ChangeStream, Collection } from 'mongodb';
import mongoose from 'mongoose';
import { installOfficeRules, type Rule } from '../domain/rules';
import { insertOnce } from './insert-once';

export interface RuleRowDoc extends Rule {
  _id: string;
  document: { number: string; title: string; date: string };
  enteredAt: string;
  enteredBy: { sub: string; name: string };
}

export const RULE_ROWS = 'rule_rows';
const collection = (): Collection<RuleRowDoc> => mongoose.connection.db!.collection<RuleRowDoc>(RULE_ROWS);

export class RuleRowTakenError extends Error {}

export async function insertRuleRow(doc: RuleRowDoc): Promise<void> {
  if (!(await insertOnce(collection(), doc))) throw new RuleRowTakenError(doc._id);
}

export async function ruleRows(): Promise<RuleRowDoc[]> {
  return collection().find({}).sort({ key: 1, effectiveFrom: 1 }).toArray();
}

export const toRule = ({ key, period, effectiveFrom, source, confirmed }: RuleRowDoc): Rule => ({
  key,
  period,
  effectiveFrom,
  source,
  confirmed,
});

export class RulesSync {
  private stream?: ChangeStream;

  async start(): Promise<this> {
    if (this.stream) return this;
    await this.reload();
    this.stream = collection().watch([]);
    this.stream.on('change', () => void this.reload().catch(() => undefined));
    this.stream.on('error', () => undefined);
    return this;
  }

  async reload(): Promise<void> {
    installOfficeRules((await ruleRows()).map(toRule));
  }

  async stop(): Promise<void> {
    await this.stream?.close().catch(() => undefined);
    this.stream = undefined;
  }
}

let shared: RulesSync | undefined;
export function rulesSync(): RulesSync {
  return (shared ??= new RulesSync());
}
