import * as ops from '../aws/catalogue.js';
import { createBucket, deleteBucket, emptyBucket } from '../aws/s3-bucket.js';
import { bucketSteps } from '../plan/bucket-steps.js';
import { bucketTeardown } from '../plan/teardown.js';
import { bucketChecks } from '../verify/bucket-checks.js';
import { type ResourceKind, sideOrder } from './contract.js';

/** The two buckets themselves, each in its account and region. */
export const bucketKind: ResourceKind<'bucket'> = {
  kind: 'bucket',
  plan: bucketSteps,
  teardown: bucketTeardown,
  order: (change) => sideOrder(change.side) + 1,
  reads: [ops.s3.ListBuckets, ops.s3.GetBucketLocation, ops.s3.HeadBucket],
  writes: (change) =>
    change.action !== 'delete'
      ? [ops.s3.CreateBucket]
      : change.empty
        ? [ops.s3.ListObjectVersions, ops.s3.DeleteObjects, ops.s3.DeleteBucket]
        : [ops.s3.DeleteBucket],
  async apply(change, { s3 }, report) {
    if (change.action !== 'delete') return createBucket(s3, change.bucket, change.region);
    // S3 deletes only an empty bucket: with --delete-objects every version and delete marker goes first.
    const empty = change.empty;
    if (empty) {
      // The count was read before (up to 1,000): past it the total is not known, so the bar follows what is deleted.
      const total = (deleted: number): number => (empty.atLeast ? Math.max(deleted, empty.versions) : empty.versions);
      await emptyBucket(s3, change.bucket, (deleted) =>
        report?.(`${deleted} of ${empty.atLeast ? 'at least ' : ''}${empty.versions} object version(s) deleted`, deleted / total(deleted)),
      );
    }
    await deleteBucket(s3, change.bucket);
  },
  project(live, change) {
    const bucket = live[change.side];
    if (change.action === 'delete') live[change.side] = { ownership: 'absent' };
    else Object.assign(bucket, { ownership: 'ours', region: change.region });
  },
  // The bucket's checks also judge its settings (the kinds below point here): one table row per setting.
  verify: { checks: (vc) => bucketChecks(vc.prepared) },
};
