export { listingWorkflow } from './listing';
