import { bucketOwnership, likelyOwned } from '../aws/bucket-holder.js';
import type { AwsClients } from '../aws/clients.js';
import { call } from '../aws/errors.js';
import { readRole } from '../aws/iam-role.js';
import { countObjects, listJobs } from '../aws/s3-batch.js';
import type { Accounts, SetupInput } from '../input/types.js';
import { batchNames, scopePrefixes } from '../plan/batch-documents.js';
import type { LiveBatch, LiveBucket } from '../plan/live.js';
import { roleArn, setupIdOf } from '../plan/names.js';
import { readEarly } from './preflight.js';

/**
 * What is already in the replicated scope (the rule will never copy it), and this setup's Batch Replication parts.
 * Jobs are read (S3 Control ListJobs) only when --replicate-existing asks for them or the batch role shows they were
 * used, so a setup without Batch Replication needs no S3 Control permission. Reads only.
 *
 * The parts themselves (batch role, reports bucket) are read only by callers that act on them without
 * --replicate-existing (teardown removes them, status reports their jobs): a plan without it makes no batch step
 * whatever they are, so `wizard`, `plan` and `verify` do not ask (four calls fewer per read). Unread, the role is
 * reported absent and the reports bucket unknown.
 */
export async function readExisting(
  input: SetupInput,
  clients: AwsClients,
  accounts: Accounts,
  sourceHolder: Promise<Pick<LiveBucket, 'ownership'>>,
  { batchParts = input.replicateExisting }: { batchParts?: boolean } = {},
): Promise<LiveBatch> {
  const names = batchNames(input, setupIdOf(input, accounts));
  const batchRoleArn = roleArn(accounts.source, names.roleName);
  const { profile } = clients.source;
  // A source bucket this process already knows (the closing verify) is counted at once, with the preflight.
  const count = readEarly(likelyOwned(clients.source.s3, input.source.bucket), () =>
    call({ doing: `counting the objects already in ${input.source.bucket}`, profile }, () =>
      countObjects(clients.source.s3, input.source.bucket, scopePrefixes(input)),
    ),
  );
  const [existing, role, reportsBucket] = await Promise.all([
    // Only the count waits for the source bucket's holder; the batch role and the reports bucket need only the ids.
    sourceHolder.then((source) => (source.ownership === 'ours' ? count() : { count: 0, atLeast: false })),
    batchParts
      ? call({ doing: 'reading the batch role', profile }, () => readRole(clients.source.iam, batchRoleArn, names.policyName))
      : { name: names.roleName, arn: batchRoleArn, exists: false },
    batchParts && names.location.ownBucket
      ? call({ doing: `checking bucket ${names.location.bucket}`, profile }, () => bucketOwnership(clients.source.s3, names.location.bucket))
      : undefined,
  ]);
  const jobs =
    input.replicateExisting || role.exists
      ? await call({ doing: 'listing the Batch Replication jobs (s3:ListJobs)', profile }, () =>
          listJobs(clients.source.s3control, accounts.source, names.setupTag),
        )
      : [];
  return {
    existing,
    role,
    ...(reportsBucket ? { reportsBucket: { name: names.location.bucket, exists: reportsBucket.ownership === 'ours' } } : {}),
    jobs,
  };
}
