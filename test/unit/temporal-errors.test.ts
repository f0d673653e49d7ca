/**
 * How the API answers Temporal's failures: a missing workflow is a 404 that names the kind of thing that
 * is missing (by its workflow id's kind, domain/workflow-ids.ts), not a 500 and not a bare "not found".
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { fromTemporal, HttpError } from '../../api/errors';
import { importWorkflowId, listingWorkflowId, objectionWorkflowId, repairWorkflowId } from '../../domain/workflow-ids';

const missing = (workflowId: string) => fromTemporal(new WorkflowNotFoundError('not found', workflowId, undefined));

describe('a missing workflow', () => {
  it.each([
    [listingWorkflowId('E0123456789abcdef0123'), '名单条目'],
    [objectionWorkflowId('O0123456789abcdef0123'), '异议案件'],
    [repairWorkflowId('R0123456789abcdef0123'), '信用修复案件'],
    [importWorkflowId('I0123456789abcdef0123'), '导入批次'],
  ])('%s answers 404 naming a %s', (workflowId, name) => {
    const e = missing(workflowId);
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toMatchObject({ status: 404, code: 'not_found', message: `找不到该${name}的流程（编号 ${workflowId}）` });
  });

  it('of no known kind answers 404 naming its id', () => {
    expect(missing('something-else')).toMatchObject({
      status: 404,
      message: '找不到该流程（编号 something-else）',
    });
  });

  it('leaves other errors alone', () => {
    const other = new Error('boom');
    expect(fromTemporal(other)).toBe(other);
  });
});
