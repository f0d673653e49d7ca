/**
 * The provincial platform's side of the exchange as the API serves it: a pushed batch taken in (the
 * service exchange), and the batches with their receipts read back by the platform and the office.
 */
import type { Client } from '@temporalio/client';
import type { FieldMapping } from '../../domain/upstream-exchange';
import { mapPage, type PageRequest } from '../../domain/pagination';
import { findBatch, UpstreamBatchModel, type UpstreamBatchDoc } from '../../db/upstream-exchange';
import { findPage, type SortKey } from '../../db/paging';
import { HttpError } from '../errors';
import { toUpstreamBatchView } from '../views/upstream-views';
import { takeInBatch } from './upstream-intake';

const NEWEST_FIRST: SortKey[] = [
  { field: 'receivedAt', dir: -1 },
  { field: '_id', dir: -1 },
];

export class UpstreamService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly mapping: FieldMapping,
  ) {}

  /** Takes in a pushed batch; a repeated delivery answers the batch as first received. */
  async push(body: unknown) {
    const intake = await takeInBatch(
      { client: this.client, taskQueue: this.taskQueue, mapping: this.mapping },
      body,
      'push',
    );
    if (intake.kind === 'invalid') throw new HttpError(422, 'rule_violated', intake.message);
    if (intake.kind === 'conflict')
      throw new HttpError(
        409,
        'conflict',
        `批次编号 ${intake.batch._id} 已用于另一批记录（${intake.batch.receivedAt} 收到）；更正的记录请以新批次编号发送`,
      );
    return {
      status: intake.kind === 'stored' ? 202 : 200,
      body: { repeated: intake.kind === 'duplicate', batch: toUpstreamBatchView(intake.batch) },
    };
  }

  async get(batchId: string) {
    const batch = await findBatch(batchId);
    if (!batch) throw new HttpError(404, 'not_found', `批次 ${batchId} 未收到`);
    return toUpstreamBatchView(batch);
  }

  /** Batches, newest first, a page at a time, with the total on the first page. */
  async list(page: PageRequest) {
    return mapPage(
      await findPage<UpstreamBatchDoc>(UpstreamBatchModel, {}, NEWEST_FIRST, page, { total: true }),
      toUpstreamBatchView,
    );
  }
}
