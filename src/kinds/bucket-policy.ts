import * as ops from '../aws/catalogue.js';
import { writeBucketPolicy } from '../aws/s3-policy.js';
import { bucketPolicySteps } from '../plan/policy-steps.js';
import { bucketPolicyTeardown } from '../plan/teardown.js';
import { bucketPolicyChecks } from '../verify/bucket-policy-checks.js';
import type { ResourceKind } from './contract.js';

/** Each bucket's policy: our statements merged with everyone else's; deleted only when nothing is left in it. */
export const bucketPolicyKind: ResourceKind<'bucket-policy'> = {
  kind: 'bucket-policy',
  plan: bucketPolicySteps,
  teardown: bucketPolicyTeardown,
  // The destination's grant comes before the rule that needs it; the source's readers after it.
  order: (change) => (change.side === 'destination' ? 40 : 60),
  reads: [ops.s3.GetBucketPolicy],
  writes: (change) => [change.document === undefined ? ops.s3.DeleteBucketPolicy : ops.s3.PutBucketPolicy],
  apply: (change, { s3 }) => writeBucketPolicy(s3, change.bucket, change.document),
  project(live, change, echo) {
    if (change.document) live[change.side].policy = echo.policy(change.document, 's3');
    else delete live[change.side].policy;
  },
  verify: { checks: bucketPolicyChecks },
};
