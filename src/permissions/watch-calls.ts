// The calls of the commands that watch a setup rather than make it: verify's canary, status and jobs.
import * as ops from '../aws/catalogue.js';
import { alarmListingPrefix } from '../plan/alert-names.js';
import { batchNames } from '../plan/batch-documents.js';
import type { Side } from '../plan/changes.js';
import { exportPrefix } from '../plan/documents.js';
import { setupNames } from '../plan/names.js';
import type { PreparedSetup } from '../plan/prepared.js';
import { callsOn, type PlannedCall, sides } from './planned-call.js';

/** `verify --canary`: put an object under the replicated prefix, watch it and its replica, delete every version of both. */
export function canaryCalls(prepared: PreparedSetup): PlannedCall[] {
  const { input } = prepared;
  const objects = (side: Side) => ({ Bucket: input[side].bucket, Key: `${exportPrefix(input)}replicate-setup-canary-*` });
  return [
    ...callsOn('source', [ops.s3.PutObject, ops.s3.HeadObject, ops.s3.ListObjectVersions, ops.s3.DeleteObject], objects('source')),
    ...callsOn(
      'destination',
      [ops.s3.HeadObject, ops.s3.GetBucketAcl, ops.s3.GetObjectAcl, ops.s3.ListObjectVersions, ops.s3.DeleteObject],
      objects('destination'),
    ),
  ];
}

/**
 * status/gather.ts: the rules' CloudWatch metrics (not scopable to a resource), this setup's alarms by their name
 * prefix, and the newest objects under the replicated prefix of the source bucket, listed then headed one by one.
 */
export function statusCalls(prepared: PreparedSetup): PlannedCall[] {
  const { input, accounts } = prepared;
  const { setupId } = setupNames(input, accounts);
  return [
    ...callsOn('source', [ops.cloudwatch.GetMetricData, ops.cloudwatch.DescribeAlarms], { AlarmNamePrefix: alarmListingPrefix(setupId) }),
    ...callsOn('source', [ops.s3.ListObjectsV2, ops.s3.HeadObject], { Bucket: input.source.bucket, Key: `${input.prefix}*` }),
  ];
}

/**
 * engine/jobs.ts: both accounts' identities, this setup's Batch Replication jobs listed and described (S3 Control,
 * source account), and the error codes of a finished job's completion report under its own location.
 */
export function jobsCalls(prepared: PreparedSetup): PlannedCall[] {
  const { input, accounts } = prepared;
  const { location } = batchNames(input, setupNames(input, accounts).setupId);
  return [
    ...sides.flatMap((side) => callsOn(side, [ops.sts.GetCallerIdentity], {})),
    // Its batch role first: without it no job was ever started (engine/jobs.ts).
    ...callsOn('source', [ops.iam.GetRole, ops.iam.GetRolePolicy], { RoleName: batchNames(input, setupNames(input, accounts).setupId).roleName }),
    ...callsOn('source', [ops.s3control.ListJobs, ops.s3control.DescribeJob], { JobId: '*' }),
    ...callsOn('source', [ops.s3.ListObjectsV2], { Bucket: location.bucket }),
    ...callsOn('source', [ops.s3.GetObject], { Bucket: location.bucket, Key: `${location.prefix}job-*/results/*` }),
  ];
}
