import * as ops from '../aws/catalogue.js';
import { cancelJob, createJob } from '../aws/s3-batch.js';
import { batchJobSteps, batchJobTeardown } from '../plan/batch-steps.js';
import type { ResourceKind } from './contract.js';

/** One S3 Batch Operations job replicating the objects the rule never will; teardown cancels it while it runs. */
export const batchJobKind: ResourceKind<'batch-job'> = {
  kind: 'batch-job',
  plan: batchJobSteps,
  teardown: batchJobTeardown,
  order: () => 62,
  reads: [ops.s3control.ListJobs, ops.s3control.DescribeJob],
  writes: (change) => (change.action === 'delete' ? [ops.s3control.UpdateJobStatus] : [ops.s3control.CreateJob]),
  async apply(change, { s3control }, report) {
    if (change.action === 'delete') {
      await cancelJob(s3control, change.request.AccountId ?? '', change.jobId ?? '');
      return;
    }
    // The ClientRequestToken makes a retry after a lost answer return the same job, not start a second one.
    const jobId = await createJob(s3control, change.request);
    report?.(`job ${jobId} created`);
  },
  project(live, change) {
    if (!live.batch) return;
    if (change.action === 'delete') {
      live.batch.jobs = live.batch.jobs.map((job) => (job.jobId === change.jobId ? { ...job, status: 'Cancelled' } : job));
    } else if (change.action === 'create') {
      live.batch.jobs = [{ jobId: 'known after apply', status: 'New', description: change.request.Description ?? '' }, ...live.batch.jobs];
    }
  },
  // Verify judges it by the plan's verdict: drift (or a job that should exist and does not) is a pending step.
  verify: 'plan-verdict',
};
