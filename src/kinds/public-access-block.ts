import * as ops from '../aws/catalogue.js';
import { deletePublicAccessBlock, putPublicAccessBlock } from '../aws/s3-bucket.js';
import { publicAccessBlockSteps } from '../plan/bucket-steps.js';
import { type ResourceKind, sideOrder } from './contract.js';

/** Block Public Access, all four settings, on each bucket. */
export const publicAccessBlockKind: ResourceKind<'public-access-block'> = {
  kind: 'public-access-block',
  plan: publicAccessBlockSteps,
  // Teardown leaves it as it is, and its summary says so.
  teardown: () => [],
  order: (change) => sideOrder(change.side) + 2,
  reads: [ops.s3.GetPublicAccessBlock],
  writes: (change) => [change.action === 'delete' ? ops.s3.DeletePublicAccessBlock : ops.s3.PutPublicAccessBlock],
  async apply(change, { s3 }) {
    if (change.action === 'delete') await deletePublicAccessBlock(s3, change.bucket);
    else await putPublicAccessBlock(s3, change.bucket, change.after);
  },
  project(live, change) {
    if (change.action === 'delete') delete live[change.side].publicAccessBlock;
    else live[change.side].publicAccessBlock = { ...change.after };
  },
  verify: { coveredBy: 'bucket' },
};
