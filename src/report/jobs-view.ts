import type { ChalkInstance } from 'chalk';
import type { JobsReport, JobView } from '../engine/jobs.js';

/** `jobs` in words and in JSON: each Batch Replication job's state, progress, elapsed time, and what failed and why. */

export const elapsed = (seconds: number | undefined): string => {
  if (seconds === undefined) return '–';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
};

/** "120 tasks: 118 succeeded, 2 failed" (or "tasks not counted yet" while S3 builds the manifest). */
export const taskLine = (job: JobView): string =>
  job.total === undefined || job.total === 0
    ? 'tasks not counted yet'
    : `${job.total} task${job.total === 1 ? '' : 's'}: ${job.succeeded ?? 0} succeeded, ${job.failed ?? 0} failed`;

export function renderJobs(report: JobsReport, c: ChalkInstance): string {
  if (report.jobs.length === 0) {
    return 'No Batch Replication job for this setup. `replicate-setup wizard --replicate-existing <the same flags>` starts one when the source bucket holds objects.';
  }
  const lines: string[] = [];
  for (const job of report.jobs) {
    const status =
      job.status === 'Complete' && job.problems.length === 0 ? c.green(job.status) : job.problems.length > 0 ? c.red(job.status) : c.yellow(job.status);
    lines.push(`${c.bold(`Job ${job.jobId}`)}  ${status}  ${taskLine(job)}  elapsed ${elapsed(job.elapsedSeconds)}`);
    for (const problem of job.problems) {
      lines.push(`  ${c.red('✗')} ${problem.cause}`, `    AWS: ${problem.evidence}`, `    ${c.bold('What to do:')} ${problem.remedy}`);
    }
  }
  return lines.join('\n');
}

/** Exit 1 when a job failed or failed tasks, as verify does for a failed check. */
export const jobsOk = (report: JobsReport): boolean => report.jobs.every((job) => job.problems.length === 0);

export const jobsJson = (report: JobsReport): Record<string, unknown> => ({
  command: 'jobs',
  ok: jobsOk(report),
  accounts: report.accounts,
  jobs: report.jobs,
});
