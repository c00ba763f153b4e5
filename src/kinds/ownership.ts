import * as ops from '../aws/catalogue.js';
import { deleteOwnership, putOwnership } from '../aws/s3-bucket.js';
import { ownershipSteps } from '../plan/bucket-steps.js';
import { type ResourceKind, sideOrder } from './contract.js';

/** Object Ownership BucketOwnerEnforced on the destination: its account owns every replica. */
export const ownershipKind: ResourceKind<'ownership'> = {
  kind: 'ownership',
  plan: ownershipSteps,
  // Teardown leaves it as it is, and its summary says so.
  teardown: () => [],
  order: (change) => sideOrder(change.side) + 4,
  reads: [ops.s3.GetBucketOwnershipControls],
  writes: (change) => [change.action === 'delete' ? ops.s3.DeleteBucketOwnershipControls : ops.s3.PutBucketOwnershipControls],
  async apply(change, { s3 }) {
    if (change.action === 'delete') await deleteOwnership(s3, change.bucket);
    else await putOwnership(s3, change.bucket, change.after);
  },
  project(live, change) {
    if (change.action === 'delete') delete live[change.side].objectOwnership;
    else live[change.side].objectOwnership = change.after;
  },
  verify: { coveredBy: 'bucket' },
};
