import { setTimeout as sleep } from 'node:timers/promises';
import * as ops from '../aws/catalogue.js';
import type { AwsClients } from '../aws/clients.js';
import { call } from '../aws/errors.js';
import { readRole } from '../aws/iam-role.js';
import { accountOf } from '../aws/identity.js';
import { describeJob, listJobs } from '../aws/s3-batch.js';
import { send } from '../aws/send.js';
import type { Accounts, SetupInput } from '../input/types.js';
import { batchNames } from '../plan/batch-documents.js';
import { type JobProblem, jobProblems, reportErrorCodes } from '../plan/batch-failures.js';
import { hasEnded } from '../plan/batch-status.js';
import type { BatchJob } from '../plan/live.js';
import { roleArn, setupIdOf } from '../plan/names.js';

/** A job as `jobs` shows it: its state and, once something failed, the causes and remedies. */
export interface JobView extends BatchJob {
  problems: JobProblem[];
}

export interface JobsReport {
  accounts: Accounts;
  jobs: JobView[];
}

/** Reads the setup's Batch Replication jobs (S3 Control, source account and region), each described in full. */
export async function readJobs(input: SetupInput, clients: AwsClients): Promise<JobsReport> {
  const { profile } = clients.source;
  const [source, destination] = await Promise.all([accountOf(clients.source.sts), accountOf(clients.destination.sts)]);
  const accounts = { source, destination };
  const names = batchNames(input, setupIdOf(input, accounts));
  // Every job of a setup runs as its batch role: without that role no job was ever started, and S3 Control (which an
  // emulator may not have) is not asked at all.
  const role = await call({ doing: 'reading the batch role', profile }, () => readRole(clients.source.iam, roleArn(source, names.roleName), names.policyName));
  if (!role.exists) return { accounts, jobs: [] };
  const listed = await call({ doing: 'listing the Batch Replication jobs', profile }, () => listJobs(clients.source.s3control, source, names.setupTag));
  const jobs = await Promise.all(
    listed.map(async (job) => {
      const full = await call({ doing: `describing job ${job.jobId}`, profile }, () => describeJob(clients.source.s3control, source, job.jobId));
      const described = { ...job, ...full, description: full.description || job.description };
      const errors = (described.failed ?? 0) > 0 && hasEnded(described.status) ? await reportErrors(clients, names.location, job.jobId) : new Map();
      return { ...described, problems: jobProblems(described, errors) };
    }),
  );
  return { accounts, jobs };
}

/** The completion report's error codes; an unreadable report is not an error (the job's own counts still stand). */
async function reportErrors(clients: AwsClients, location: { bucket: string; prefix: string }, jobId: string): Promise<Map<string, number>> {
  const { s3 } = clients.source;
  try {
    const listed = await send(s3, ops.s3.ListObjectsV2, { Bucket: location.bucket, Prefix: `${location.prefix}job-${jobId}/results/`, MaxKeys: 10 });
    const counts = new Map<string, number>();
    for (const object of (listed.Contents ?? []).filter((o) => o.Key?.endsWith('.csv'))) {
      const got = await send(s3, ops.s3.GetObject, { Bucket: location.bucket, Key: object.Key! });
      for (const [code, n] of reportErrorCodes((await got.Body?.transformToString()) ?? '')) counts.set(code, (counts.get(code) ?? 0) + n);
    }
    return counts;
  } catch {
    return new Map();
  }
}

/** How often `--wait` asks: REPLICATE_SETUP_JOB_POLL_MS overrides (tests poll fast). */
export const pollIntervalMs = (env: NodeJS.ProcessEnv = process.env): number => {
  const given = Number(env.REPLICATE_SETUP_JOB_POLL_MS);
  return Number.isFinite(given) && given > 0 ? given : 10_000;
};

/** Polls until every job has ended, or the signal (Ctrl-C) stops the waiting; the jobs themselves are never touched. */
export async function waitForJobs(
  input: SetupInput,
  clients: AwsClients,
  onPoll: (report: JobsReport) => void,
  signal: AbortSignal,
  intervalMs = pollIntervalMs(),
): Promise<JobsReport> {
  let report = await readJobs(input, clients);
  onPoll(report);
  while (!signal.aborted && report.jobs.some((job) => !hasEnded(job.status))) {
    await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) break;
    report = await readJobs(input, clients);
    onPoll(report);
  }
  return report;
}
