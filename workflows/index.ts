export { listingWorkflow } from './listing';
export { supervisionWorkflow } from './supervision';
export { objectionWorkflow } from './objection';
export { repairWorkflow } from './repair';
export { webhookDeliveryWorkflow } from './webhook';
export { importWorkflow } from './import';
export { calendarReplanWorkflow } from './calendar-replan';
export { rematchWorkflow } from './rematch';
export { upstreamBatchWorkflow, upstreamFeedbackWorkflow, upstreamPullWorkflow } from './upstream';
