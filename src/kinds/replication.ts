import * as ops from '../aws/catalogue.js';
import { deleteReplication, writeReplication } from '../aws/s3-replication.js';
import { replicationSteps } from '../plan/replication-steps.js';
import { replicationTeardown } from '../plan/teardown.js';
import { replicationChecks } from '../verify/replication-checks.js';
import type { ResourceKind } from './contract.js';

/** The source bucket's replication configuration: our rules beside the user's. */
export const replicationKind: ResourceKind<'replication'> = {
  kind: 'replication',
  plan: replicationSteps,
  teardown: replicationTeardown,
  order: () => 50,
  reads: [ops.s3.GetBucketReplication],
  writes: (change) => [change.action === 'delete' ? ops.s3.DeleteBucketReplication : ops.s3.PutBucketReplication],
  async apply(change, { s3 }) {
    if (change.action === 'delete') await deleteReplication(s3, change.bucket);
    else await writeReplication(s3, change.bucket, change.configuration);
  },
  project(live, change, echo) {
    if (change.action === 'delete') delete live.source.replication;
    else live.source.replication = echo.replication(change.configuration);
  },
  verify: { checks: replicationChecks },
};
