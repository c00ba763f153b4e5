import type { JobsReport } from '../engine/jobs.js';
import { jobsJson, jobsOk, renderJobs, taskLine } from '../report/jobs-view.js';
import { interruptible } from '../wizard/interrupt.js';
import { inputAndClients, rawOptionsFrom } from './common.js';
import { runFleetOr } from './fleet.js';
import type { HarnessDeps } from './harness.js';

/**
 * `jobs`: the setup's Batch Replication jobs. `--wait` polls until they end, with a progress bar at a terminal
 * (cli-progress) and a line per change otherwise; Ctrl-C stops the waiting, never the job.
 */
export async function runJobsCommand(flags: Record<string, unknown>, deps: HarnessDeps = {}): Promise<number> {
  const { fleetJobs } = await import('./fleet-reads.js');
  return runFleetOr(flags, deps, fleetJobs, async ({ output, progress }) => {
    const { input, clients } = await inputAndClients(await rawOptionsFrom(flags));
    const { readJobs, waitForJobs } = await import('../engine/jobs.js');
    let report: JobsReport;
    if (!flags.wait) {
      report = await readJobs(input, clients);
      progress.stop();
    } else {
      progress.stop();
      const display = await progressDisplay(output.stderrIsTTY && !output.json, (text) => output.progress(text));
      let stopped = false;
      report = await interruptible(
        (signal) => waitForJobs(input, clients, display.update, signal),
        () => {
          stopped = true;
        },
      );
      display.stop();
      if (stopped && !output.json) output.progress('Stopped waiting: the job keeps running in AWS. `replicate-setup jobs --wait` watches it again.');
    }
    if (output.json) output.emitJson(jobsJson(report));
    else output.print(renderJobs(report, output.color));
    return jobsOk(report) ? 0 : 1;
  });
}

interface ProgressDisplay {
  update(report: JobsReport): void;
  stop(): void;
}

/** A bar per job at a terminal; elsewhere one line each time a job's state or counts change. */
async function progressDisplay(terminal: boolean, line: (text: string) => void): Promise<ProgressDisplay> {
  if (!terminal) {
    const last = new Map<string, string>();
    return {
      update(report) {
        for (const job of report.jobs) {
          const text = `job ${job.jobId}: ${job.status}, ${taskLine(job)}`;
          if (last.get(job.jobId) !== text) line(text);
          last.set(job.jobId, text);
        }
      },
      stop() {},
    };
  }
  const { default: progress } = await import('cli-progress');
  const bars = new progress.MultiBar({
    format: 'job {job} [{bar}] {value}/{total} tasks  {status}',
    stream: process.stderr,
    clearOnComplete: false,
    hideCursor: true,
  });
  const byJob = new Map<string, ReturnType<typeof bars.create>>();
  return {
    update(report) {
      for (const job of report.jobs) {
        const done = (job.succeeded ?? 0) + (job.failed ?? 0);
        const payload = { job: job.jobId, status: job.failed ? `${job.status}, ${job.failed} failed` : job.status };
        const bar = byJob.get(job.jobId) ?? bars.create(Math.max(job.total ?? 0, 1), 0, payload);
        byJob.set(job.jobId, bar);
        bar.setTotal(Math.max(job.total ?? 0, 1));
        bar.update(done, payload);
      }
    },
    stop: () => bars.stop(),
  };
}
