import { parseSample, parseSince } from '../status/options.js';
import type { FleetCommand, FleetSetup } from './fleet.js';

/**
 * `status` and `jobs` over a fleet file: each setup read on its own, the verdict or the jobs' state as its summary
 * line, the whole report as its JSON. Both only read, so they take no lock.
 */
export const fleetStatus: FleetCommand = {
  name: 'status',
  usageProblems: (flags) => {
    const parsed = [parseSince(String(flags.since ?? '24h')), parseSample(String(flags.sample ?? '20'))];
    return parsed.flatMap((r) => ('problem' in r ? [r.problem] : []));
  },
  async runSetup({ input, clients, events }: FleetSetup, flags) {
    const [{ gatherStatus }, { statusJson }] = await Promise.all([import('../status/gather.js'), import('../report/status-view.js')]);
    const since = parseSince(String(flags.since ?? '24h'));
    const sample = parseSample(String(flags.sample ?? '20'));
    const report = await gatherStatus(
      input,
      clients,
      { sinceMs: 'ms' in since ? since.ms : 86_400_000, sample: 'count' in sample ? sample.count : 20, now: new Date() },
      events,
    );
    return {
      ok: report.verdict.level !== 'failing',
      steps: [],
      summary: `${report.verdict.level}: ${report.verdict.reason}`,
      json: { status: statusJson(report) },
    };
  },
};

export const fleetJobs: FleetCommand = {
  name: 'jobs',
  async runSetup({ input, clients }: FleetSetup) {
    const [{ readJobs }, { jobsJson, jobsOk, taskLine }] = await Promise.all([import('../engine/jobs.js'), import('../report/jobs-view.js')]);
    const report = await readJobs(input, clients);
    const summary = report.jobs.length === 0 ? 'no Batch Replication job' : report.jobs.map((job) => `${job.status}, ${taskLine(job)}`).join('; ');
    return { ok: jobsOk(report), steps: [], summary, json: { jobs: jobsJson(report) } };
  },
};
