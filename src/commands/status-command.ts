import type { AwsClients } from '../aws/clients.js';
import { InputError } from '../errors.js';
import { problemAt } from '../input/options.js';
import type { SetupInput } from '../input/types.js';
import type { Output } from '../report/output.js';
import { renderStatus, statusJson } from '../report/status-view.js';
import { parseSample, parseSince } from '../status/options.js';
import type { StatusReport } from '../status/types.js';
import { inputAndClients, rawOptionsFrom } from './common.js';

export { parseSample, parseSince } from '../status/options.js';

import { runFleetOr } from './fleet.js';
import type { HarnessDeps } from './harness.js';

/** What a test can replace: the clock, the watch interval and how a wait ends, and the clients (fault injection). */
export interface StatusDeps extends HarnessDeps {
  now?: () => Date;
  /** --watch: how long between refreshes (a minute) and the wait itself; resolves false when the watch should stop. */
  watchIntervalMs?: number;
  wait?: (ms: number) => Promise<boolean>;
  wrapClients?: (clients: AwsClients) => AwsClients;
}

/** A minute, or until Ctrl-C: resolves false on Ctrl-C. */
const waitOrInterrupt = (ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const onInterrupt = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      process.off('SIGINT', onInterrupt);
      resolve(true);
    }, ms);
    process.once('SIGINT', onInterrupt);
  });

/**
 * `status`: the health of a setup now, from CloudWatch (metrics, alarms) and the newest source objects; the verdict
 * first. Exit 1 when failing, as `verify` does for a failed check. `--watch` draws it again every minute until Ctrl-C.
 */
export async function runStatusCommand(flags: Record<string, unknown>, deps: StatusDeps = {}): Promise<number> {
  const { fleetStatus } = await import('./fleet-reads.js');
  return runFleetOr(flags, deps, fleetStatus, async ({ output, progress }) => {
    const since = parseSince(String(flags.since ?? '24h'));
    const sample = parseSample(String(flags.sample ?? '20'));
    const problems = [since, sample].flatMap((r) => ('problem' in r ? [r.problem] : []));
    if (flags.watch && flags.json) problems.push(problemAt('watch', 'cannot be combined with --json: --json prints exactly one JSON object'));
    const { input, clients } = await inputAndClients(await rawOptionsFrom(flags)).catch((error: unknown) => {
      throw error instanceof InputError ? new InputError([...error.problems, ...problems], error.code) : error;
    });
    if (problems.length > 0) throw new InputError(problems);
    const { gatherStatus } = await import('../status/gather.js');
    const used = deps.wrapClients ? deps.wrapClients(clients) : clients;
    const now = deps.now ?? (() => new Date());
    const once = async (): Promise<StatusReport> => {
      const report = await gatherStatus(
        input,
        used,
        { sinceMs: (since as { ms: number }).ms, sample: (sample as { count: number }).count, now: now() },
        progress.sink,
      );
      progress.stop();
      return report;
    };
    let report = await once();
    print(report, input, output, deps);
    const wait = deps.wait ?? waitOrInterrupt;
    while (flags.watch && (await wait(deps.watchIntervalMs ?? 60_000))) {
      report = await once();
      print(report, input, output, deps);
    }
    return report.verdict.level === 'failing' ? 1 : 0;
  });
}

function print(report: StatusReport, _input: SetupInput, output: Output, deps: StatusDeps): void {
  if (output.json) {
    output.emitJson(statusJson(report));
    return;
  }
  const stdout = deps.streams?.stdout ?? process.stdout;
  output.print(renderStatus(report, { color: output.color, charts: !!stdout.isTTY, width: stdout.columns ?? 80 }));
}
