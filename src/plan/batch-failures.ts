import type { BatchJob } from './live.js';

/**
 * What went wrong with a Batch Replication job, in the user's terms: each cause with its remedy, from the job's
 * FailureReasons and the error codes of its completion report. Pure.
 */
export interface JobProblem {
  cause: string;
  remedy: string;
  /** What AWS said (a FailureReason, or a report's error code with how many tasks had it). */
  evidence: string;
}

const RERUN = 'Run `replicate-setup wizard` again with the same flags (it restores what drifted), then `replicate-setup verify`.';

const KNOWN: { match: RegExp; cause: string; remedy: string }[] = [
  {
    match: /kms|key policy|decrypt|encrypt/i,
    cause: 'a KMS key policy does not let the replication role use the key (the source key to decrypt, or the destination key to encrypt the replicas)',
    remedy: `The destination account must apply the key policy statements \`replicate-setup plan\` shows for its key. ${RERUN}`,
  },
  {
    match: /region/i,
    cause: 'the destination bucket is not in the region the replication rule or the job expects',
    remedy: "Check --dest-region against the bucket's real region (`aws s3api get-bucket-location`), then run the wizard again with the right one.",
  },
  {
    match: /assume|trust|sts:/i,
    cause: 'S3 Batch Operations could not assume the batch role (its trust policy must name batchoperations.s3.amazonaws.com)',
    remedy: RERUN,
  },
  {
    match: /inventory|manifest/i,
    cause:
      'the job could not generate or write its manifest (the batch role needs s3:PutInventoryConfiguration on the source bucket and s3:PutObject on the report location)',
    remedy: RERUN,
  },
  {
    match: /replication configuration|ReplicationConfigurationNotFound|no.*rule/i,
    cause: 'the source bucket has no replication rule selecting these objects',
    remedy: RERUN,
  },
  {
    match: /AccessDenied|Forbidden|not authorized|403|denied/i,
    cause: "the destination bucket's policy does not let the replication role replicate into it, or the batch role lacks s3:InitiateReplication",
    remedy: `The destination account must apply the bucket policy \`replicate-setup plan\` shows. ${RERUN}`,
  },
];

function explain(evidence: string): JobProblem {
  const known = KNOWN.find((entry) => entry.match.test(evidence));
  return known
    ? { cause: known.cause, remedy: known.remedy, evidence }
    : {
        cause: 'AWS reported a failure replicate-setup does not recognise',
        remedy: `Read AWS's reason below and the job's completion report. ${RERUN}`,
        evidence,
      };
}

/** Error codes of the completion report's failed tasks, with how many tasks had each. */
export type ReportErrors = ReadonlyMap<string, number>;

export function jobProblems(job: BatchJob, reportErrors: ReportErrors = new Map()): JobProblem[] {
  const problems = (job.failureReasons ?? []).map((f) => explain(`${f.code}: ${f.reason}`));
  if (job.status === 'Failed' && problems.length === 0) problems.push(explain(job.statusUpdateReason ?? 'the job failed without a reason'));
  for (const [code, tasks] of reportErrors) problems.push(explain(`${tasks} task(s) failed with ${code}`));
  if ((job.failed ?? 0) > 0 && reportErrors.size === 0) {
    problems.push({
      cause: `${job.failed} object(s) could not be replicated`,
      remedy: `The job's completion report lists each key with its error. ${RERUN} A new job (same command) retries only objects whose replication FAILED.`,
      evidence: `${job.failed} failed task(s)`,
    });
  }
  return problems;
}

/** Counts the error codes of a completion report (CSV: bucket, key, version, status, error code, HTTP status, message). */
export function reportErrorCodes(csv: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of csv.split(/\r?\n/).filter(Boolean)) {
    const fields = line.split(',');
    if (fields[3] !== 'failed') continue;
    const code = fields[4] || 'unknown error';
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}
