import * as ops from '../aws/catalogue.js';
import { deleteEncryption, putEncryption } from '../aws/s3-bucket.js';
import { encryptionSteps } from '../plan/bucket-steps.js';
import { type ResourceKind, sideOrder } from './contract.js';

/** Each bucket's default encryption: SSE-S3, or its KMS key with Bucket Key on. */
export const encryptionKind: ResourceKind<'encryption'> = {
  kind: 'encryption',
  plan: encryptionSteps,
  // Teardown leaves it as it is, and its summary says so.
  teardown: () => [],
  order: (change) => sideOrder(change.side) + 3,
  reads: [ops.s3.GetBucketEncryption],
  writes: (change) => [change.action === 'delete' ? ops.s3.DeleteBucketEncryption : ops.s3.PutBucketEncryption],
  async apply(change, { s3 }) {
    if (change.action === 'delete') await deleteEncryption(s3, change.bucket);
    else await putEncryption(s3, change.bucket, change.after);
  },
  project(live, change) {
    if (change.action === 'delete') delete live[change.side].encryption;
    else live[change.side].encryption = { ...change.after };
  },
  verify: { coveredBy: 'bucket' },
};
