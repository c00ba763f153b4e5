import * as ops from '../aws/catalogue.js';
import { createBucket, deleteBucket, emptyBucket, putPublicAccessBlock } from '../aws/s3-bucket.js';
import { batchBucketSteps, batchBucketTeardown } from '../plan/batch-steps.js';
import { FULL_PUBLIC_ACCESS_BLOCK } from '../plan/documents.js';
import type { ResourceKind } from './contract.js';

/** A bucket of its own for the job's manifest and report, private, when the rules select the whole source bucket. */
export const batchBucketKind: ResourceKind<'batch-bucket'> = {
  kind: 'batch-bucket',
  plan: batchBucketSteps,
  teardown: batchBucketTeardown,
  order: () => 61,
  reads: [ops.s3.ListBuckets, ops.s3.GetBucketLocation, ops.s3.HeadBucket],
  writes: (change) =>
    change.action === 'delete' ? [ops.s3.ListObjectVersions, ops.s3.DeleteObjects, ops.s3.DeleteBucket] : [ops.s3.CreateBucket, ops.s3.PutPublicAccessBlock],
  async apply(change, { s3 }, report) {
    if (change.action === 'delete') {
      // It holds only the job's manifest and report: emptied without asking.
      await emptyBucket(s3, change.bucket, (deleted) => report?.(`${deleted} object version(s) deleted`));
      return deleteBucket(s3, change.bucket);
    }
    await createBucket(s3, change.bucket, change.region);
    await putPublicAccessBlock(s3, change.bucket, FULL_PUBLIC_ACCESS_BLOCK);
  },
  project(live, change) {
    if (live.batch?.reportsBucket) live.batch.reportsBucket.exists = change.action !== 'delete';
  },
  // Verify judges it by the plan's verdict: drift (or a job that should exist and does not) is a pending step.
  verify: 'plan-verdict',
};
