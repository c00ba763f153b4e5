import * as ops from '../aws/catalogue.js';
import { putVersioning, suspendVersioning } from '../aws/s3-bucket.js';
import { versioningSteps } from '../plan/bucket-steps.js';
import { type ResourceKind, sideOrder } from './contract.js';

/** Versioning on both buckets, which replication requires. Once on it can only be suspended, never removed. */
export const versioningKind: ResourceKind<'versioning'> = {
  kind: 'versioning',
  plan: versioningSteps,
  // Teardown leaves it as it is, and its summary says so.
  teardown: () => [],
  order: (change) => sideOrder(change.side) + 5,
  reads: [ops.s3.GetBucketVersioning],
  writes: () => [ops.s3.PutBucketVersioning],
  async apply(change, { s3 }) {
    if (change.action === 'delete') await suspendVersioning(s3, change.bucket);
    else await putVersioning(s3, change.bucket);
  },
  project(live, change) {
    live[change.side].versioning = change.action === 'delete' ? 'Suspended' : change.after;
  },
  verify: { coveredBy: 'bucket' },
};
