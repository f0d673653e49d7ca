export { listingWorkflow } from './listing';
export { supervisionWorkflow } from './supervision';
