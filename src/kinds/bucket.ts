import * as ops from '../aws/catalogue.js';
import { createBucket, deleteBucket } from '../aws/s3-bucket.js';
import { bucketSteps } from '../plan/bucket-steps.js';
import { bucketChecks } from '../verify/bucket-checks.js';
import { type ResourceKind, sideOrder } from './contract.js';

/** The two buckets themselves, each in its account and region. */
export const bucketKind: ResourceKind<'bucket'> = {
  kind: 'bucket',
  plan: bucketSteps,
  order: (change) => sideOrder(change.side) + 1,
  reads: [ops.s3.ListBuckets, ops.s3.GetBucketLocation, ops.s3.HeadBucket],
  writes: (change) => (change.action === 'delete' ? [ops.s3.DeleteBucket] : [ops.s3.CreateBucket]),
  apply: (change, { s3 }) => (change.action === 'delete' ? deleteBucket(s3, change.bucket) : createBucket(s3, change.bucket, change.region)),
  project(live, change) {
    const bucket = live[change.side];
    if (change.action === 'delete') live[change.side] = { ownership: 'absent' };
    else Object.assign(bucket, { ownership: 'ours', region: change.region });
  },
  // The bucket's checks also judge its settings (the kinds below point here): one table row per setting.
  verify: { checks: (vc) => bucketChecks(vc.prepared) },
};
