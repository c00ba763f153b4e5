import { BATCH_TRUST_POLICY, batchJobRequest, batchNames, batchRolePolicy, scopePrefixes } from './batch-documents.js';
import { isActive } from './batch-status.js';
import type { ChangeOf, StepId } from './changes.js';
import { action, type PlanContext } from './context.js';
import { samePolicy } from './merge.js';
import { bucketArn, roleArn } from './names.js';
import type { TeardownContext } from './teardown.js';

/** Pure planners of S3 Batch Replication: the objects already in scope, copied once by one job. */

const namesOf = (pc: PlanContext) => batchNames(pc.documents.input, pc.documents.names.setupId);

/** "12 objects", "at least 1,000 objects". */
export const objectCount = ({ count, atLeast }: { count: number; atLeast: boolean }): string =>
  `${atLeast ? 'at least ' : ''}${count.toLocaleString('en-US')} object${count === 1 && !atLeast ? '' : 's'}`;

/** Whether this plan replicates existing objects: asked for, and there are some (or a job of this scope is already there). */
const wanted = (pc: PlanContext): boolean => {
  const batch = pc.live.batch;
  if (!pc.documents.input.replicateExisting || !batch) return false;
  return batch.existing.count > 0 || batch.jobs.some((job) => job.description.startsWith(namesOf(pc).scopeTag));
};

/** Says what the rule leaves behind, and how to include it; the step list itself holds the job. */
function existingNote(pc: PlanContext): void {
  const batch = pc.live.batch;
  const { input } = pc.documents;
  if (!batch || batch.existing.count === 0) return;
  const what = `${input.source.bucket} already holds ${objectCount(batch.existing)} in the replicated scope`;
  if (!input.replicateExisting) {
    pc.notes.push(
      `${what}: a replication rule copies only objects written after it exists, so these will not be replicated. Add --replicate-existing to copy them once with an S3 Batch Replication job (billed per job and per object, see README).`,
    );
    return;
  }
  const { location } = namesOf(pc);
  pc.notes.push(
    `${what}: one S3 Batch Replication job copies them after the rule is in place. Its manifest and completion report go to s3://${location.bucket}/${location.prefix} (${location.ownBucket ? 'a bucket of its own: the rule selects the whole source bucket' : 'outside the replicated prefix'}). Watch it with: replicate-setup jobs <the same flags> --wait`,
  );
}

export function batchRoleSteps(pc: PlanContext): ChangeOf<'batch-role'>[] {
  existingNote(pc);
  if (!wanted(pc)) return [];
  const role = pc.live.batch!.role;
  const names = namesOf(pc);
  const document = batchRolePolicy(pc.documents.input, names);
  const same = samePolicy(role.trustPolicy, BATCH_TRUST_POLICY) && samePolicy(role.inlinePolicy, document);
  return [
    {
      id: 'batch-role',
      title: `Batch Replication role ${names.roleName} (trusts batchoperations.s3.amazonaws.com) and its least-privilege policy`,
      side: 'source',
      action: action(role.exists, same),
      resource: roleArn(pc.documents.accounts.source, names.roleName),
      dependsOn: [],
      kind: 'batch-role',
      roleName: names.roleName,
      trustPolicy: BATCH_TRUST_POLICY,
      policyName: names.policyName,
      document,
    },
  ];
}

export function batchBucketSteps(pc: PlanContext): ChangeOf<'batch-bucket'>[] {
  const reports = pc.live.batch?.reportsBucket;
  if (!wanted(pc) || !reports) return [];
  return [
    {
      id: 'batch-bucket',
      title: `Bucket ${reports.name} for the Batch Replication manifest and report (outside the replicated scope)`,
      side: 'source',
      action: reports.exists ? 'no-op' : 'create',
      resource: bucketArn(reports.name),
      dependsOn: [],
      kind: 'batch-bucket',
      bucket: reports.name,
      region: pc.documents.input.source.region,
    },
  ];
}

export function batchJobSteps(pc: PlanContext): ChangeOf<'batch-job'>[] {
  if (!wanted(pc)) return [];
  const names = namesOf(pc);
  const jobs = pc.live.batch!.jobs.filter((job) => job.description.startsWith(names.scopeTag));
  // A job that is running or has completed covers the scope; a failed or cancelled one is followed by a new attempt.
  const current = jobs.find((job) => job.status === 'Complete' || isActive(job.status));
  const request = batchJobRequest(pc.documents.input, pc.documents.accounts, names, jobs.length);
  const scope = scopePrefixes(pc.documents.input).filter(Boolean);
  return [
    {
      id: 'batch-job',
      title: `S3 Batch Replication job: objects of ${pc.documents.input.source.bucket}${scope.length ? ` under ${scope.join(', ')}` : ''} not yet replicated (NONE, FAILED)`,
      side: 'source',
      action: current ? 'no-op' : 'create',
      resource: current ? `job ${current.jobId}` : `job (${request.ClientRequestToken})`,
      dependsOn: ['replication-configuration', 'batch-role', ...(names.location.ownBucket ? (['batch-bucket'] as StepId[]) : [])],
      kind: 'batch-job',
      request,
      ...(current ? { jobId: current.jobId, note: `job ${current.jobId} is ${current.status}: no second job` } : {}),
    },
  ];
}

/** Teardown: cancel a job still running (a completed one is history, nothing to remove). */
export function batchJobTeardown(tc: TeardownContext): ChangeOf<'batch-job'>[] {
  const names = namesOf(tc);
  return (tc.live.batch?.jobs ?? [])
    .filter((job) => isActive(job.status))
    .slice(0, 1)
    .map((job) => ({
      id: 'batch-job',
      title: `Cancel S3 Batch Replication job ${job.jobId} (${job.status})`,
      side: 'source',
      action: 'delete',
      resource: `job ${job.jobId}`,
      dependsOn: [],
      kind: 'batch-job',
      request: batchJobRequest(tc.documents.input, tc.documents.accounts, names, 0),
      jobId: job.jobId,
    }));
}

/** Teardown: the batch role, when the tool created it. */
export function batchRoleTeardown(tc: TeardownContext): ChangeOf<'batch-role'>[] {
  const role = tc.live.batch?.role;
  if (!role?.exists || !role.createdByTool) return [];
  const names = namesOf(tc);
  return [
    {
      id: 'batch-role',
      title: `Batch Replication role ${role.name}`,
      side: 'source',
      action: 'delete',
      resource: role.arn,
      dependsOn: (tc.live.batch?.jobs ?? []).some((job) => isActive(job.status)) ? ['batch-job'] : [],
      kind: 'batch-role',
      roleName: role.name,
      trustPolicy: role.trustPolicy ?? BATCH_TRUST_POLICY,
      policyName: names.policyName,
      document: role.inlinePolicy ?? batchRolePolicy(tc.documents.input, names),
    },
  ];
}

/** Teardown: the reports bucket of its own, emptied first (it holds only the job's manifest and report). */
export function batchBucketTeardown(tc: TeardownContext): ChangeOf<'batch-bucket'>[] {
  const reports = tc.live.batch?.reportsBucket;
  if (!reports?.exists) return [];
  return [
    {
      id: 'batch-bucket',
      title: `Bucket ${reports.name} of the Batch Replication manifest and report, emptied first`,
      side: 'source',
      action: 'delete',
      resource: bucketArn(reports.name),
      dependsOn: (tc.live.batch?.jobs ?? []).some((job) => isActive(job.status)) ? ['batch-job'] : [],
      kind: 'batch-bucket',
      bucket: reports.name,
      region: tc.documents.input.source.region,
    },
  ];
}
