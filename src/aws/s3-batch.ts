import type { IAMClient } from '@aws-sdk/client-iam';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CreateJobRequest, JobListDescriptor, S3ControlClient } from '@aws-sdk/client-s3-control';
import type { BatchJob } from '../plan/live.js';
import type { PolicyDocument } from '../plan/policy-types.js';
import * as ops from './catalogue.js';
import { createRole } from './iam-role.js';
import { send } from './send.js';

/** S3 Batch Replication calls: counting what is in scope, the batch role, and the jobs (S3 Control). */

/** Objects under each prefix, up to 1,000 in all (one ListObjectsV2 page a prefix): enough to say "12" or "at least 1,000". */
export async function countObjects(s3: S3Client, bucket: string, prefixes: readonly string[]): Promise<{ count: number; atLeast: boolean }> {
  let count = 0;
  let atLeast = false;
  for (const prefix of prefixes) {
    if (count >= 1000) break;
    const page = await send(s3, ops.s3.ListObjectsV2, { Bucket: bucket, MaxKeys: 1000 - count, ...(prefix ? { Prefix: prefix } : {}) });
    count += page.KeyCount ?? page.Contents?.length ?? 0;
    atLeast ||= page.IsTruncated === true;
  }
  return { count, atLeast: atLeast || count >= 1000 };
}

export const createBatchRole = (iam: IAMClient, roleName: string, trustPolicy: PolicyDocument): Promise<void> =>
  createRole(iam, roleName, trustPolicy, 'S3 Batch Replication role created by replicate-setup');

const jobOf = (job: JobListDescriptor): BatchJob => ({
  jobId: job.JobId ?? '',
  status: job.Status ?? 'Unknown',
  description: job.Description ?? '',
  ...(job.CreationTime ? { creationTime: job.CreationTime.toISOString() } : {}),
  ...(job.TerminationDate ? { terminationDate: job.TerminationDate.toISOString() } : {}),
  ...(job.ProgressSummary?.TotalNumberOfTasks !== undefined ? { total: job.ProgressSummary.TotalNumberOfTasks } : {}),
  ...(job.ProgressSummary?.NumberOfTasksSucceeded !== undefined ? { succeeded: job.ProgressSummary.NumberOfTasksSucceeded } : {}),
  ...(job.ProgressSummary?.NumberOfTasksFailed !== undefined ? { failed: job.ProgressSummary.NumberOfTasksFailed } : {}),
});

/** Every job of the account whose Description starts with `tag` (the setup's), newest first. */
export async function listJobs(s3control: S3ControlClient, account: string, tag: string): Promise<BatchJob[]> {
  const found: BatchJob[] = [];
  let token: string | undefined;
  do {
    const page = await send(s3control, ops.s3control.ListJobs, { AccountId: account, MaxResults: 1000, ...(token ? { NextToken: token } : {}) });
    found.push(...(page.Jobs ?? []).filter((job) => job.Description?.startsWith(tag)).map(jobOf));
    token = page.NextToken;
  } while (token);
  return found.sort((a, b) => (b.creationTime ?? '').localeCompare(a.creationTime ?? ''));
}

/** One job in full: progress, elapsed time and why it failed. */
export async function describeJob(s3control: S3ControlClient, account: string, jobId: string): Promise<BatchJob> {
  const { Job } = await send(s3control, ops.s3control.DescribeJob, { AccountId: account, JobId: jobId });
  const progress = Job?.ProgressSummary;
  return {
    ...jobOf({ ...Job, ...(progress ? { ProgressSummary: progress } : {}) } as JobListDescriptor),
    ...(Job?.FailureReasons?.length ? { failureReasons: Job.FailureReasons.map((f) => ({ code: f.FailureCode ?? '', reason: f.FailureReason ?? '' })) } : {}),
    ...(Job?.StatusUpdateReason ? { statusUpdateReason: Job.StatusUpdateReason } : {}),
    ...(progress?.Timers?.ElapsedTimeInActiveSeconds !== undefined ? { elapsedSeconds: progress.Timers.ElapsedTimeInActiveSeconds } : {}),
  };
}

export async function createJob(s3control: S3ControlClient, request: CreateJobRequest): Promise<string> {
  const { JobId } = await send(s3control, ops.s3control.CreateJob, request);
  return JobId ?? '';
}

export const cancelJob = (s3control: S3ControlClient, account: string, jobId: string): Promise<unknown> =>
  send(s3control, ops.s3control.UpdateJobStatus, {
    AccountId: account,
    JobId: jobId,
    RequestedJobStatus: 'Cancelled',
    StatusUpdateReason: 'replicate-setup teardown',
  });
