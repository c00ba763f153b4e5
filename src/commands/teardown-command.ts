import { InputError, ReplicateSetupError } from '../errors.js';
import { problemAt } from '../input/options.js';
import type { TeardownOptions } from '../plan/teardown.js';
import { applyJson, planJson } from '../report/json-view.js';
import { countActions, renderPlan, renderSteps, summaryLine } from '../report/plan-view.js';
import { interruptible } from '../wizard/interrupt.js';
import { loadPromptKit, type PromptKit } from '../wizard/prompt-kit.js';
import { confirmBucketNames, confirmTeardown } from '../wizard/teardown-questions.js';
import { inputAndClients, rawOptionsFrom } from './common.js';
import { runFleetOr } from './fleet.js';
import { fleetTeardown, lockSetup } from './fleet-setups.js';
import type { HarnessDeps } from './harness.js';

/** What a test can replace; the CLI uses the real terminal and prompts. */
export interface TeardownDeps extends HarnessDeps {
  stdinIsTTY?: boolean;
  prompts?: PromptKit;
  now?: Date;
}

/**
 * `teardown`: read both accounts, plan the removal of what this setup owns and nothing else, show it in the same views
 * as `plan`, ask (at a terminal; --yes does not; without a terminal --yes is required), remove.
 */
export async function runTeardownCommand(flags: Record<string, unknown>, deps: TeardownDeps = {}): Promise<number> {
  return runFleetOr(flags, deps, fleetTeardown, async ({ output, progress }) => {
    const options: TeardownOptions = { deleteBuckets: !!flags.deleteBuckets, deleteObjects: !!flags.deleteObjects, deleteKeys: !!flags.deleteKeys };
    const interactive = !flags.yes && !output.json && (deps.stdinIsTTY ?? !!process.stdin.isTTY);
    const { input, clients } = await inputAndClients(await rawOptionsFrom(flags)).catch((error: unknown) => {
      throw error instanceof InputError ? new InputError([...error.problems, ...usageProblems(flags, options, interactive)], error.code) : error;
    });
    const problems = usageProblems(flags, options, interactive);
    if (problems.length > 0) throw new InputError(problems);

    const { applyTeardown, prepareTeardown } = await import('../engine/teardown.js');
    // Only a teardown that removes something takes the locks, after the first read (nothing to remove writes nothing),
    // and then reads again under them; the locks are held to the last removal.
    let release: (() => Promise<void>) | undefined;
    try {
      return await teardownLocked();
    } finally {
      await release?.();
    }
    async function teardownLocked(): Promise<number> {
      let prepared = await prepareTeardown(input, clients, options, progress.sink, deps.now);
      progress.stop();
      const { plan } = prepared;
      if (plan.refusals.length > 0) {
        throw new ReplicateSetupError('NOT_EMPTY', `Nothing was removed: ${plan.refusals.join('; ')}.`, {
          remedy: 'Add --delete-objects to delete every object version and delete marker first (this cannot be undone), or empty the buckets yourself.',
        });
      }
      if (!output.json) output.print(renderPlan(plan, input, prepared.accounts, output.color, false, 'teardown'));
      if (plan.changes.length === 0) {
        if (output.json) output.emitJson({ ...planJson(plan, prepared.accounts), command: 'teardown' });
        return 0;
      }
      if (interactive) {
        const prompts = deps.prompts ?? (await loadPromptKit());
        if (!(await confirmTeardown(prompts))) {
          output.print('Nothing was removed.');
          return 0;
        }
        const emptied = plan.changes.flatMap((change) => (change.kind === 'bucket' && change.empty ? [change.bucket] : []));
        if (!(await confirmBucketNames(prompts, emptied))) {
          output.print('Nothing was removed.');
          return 0;
        }
      }
      const stopping = (): void => {
        progress.stop();
        output.progress(output.errColor.yellow('Stopping: the calls under way finish, nothing new starts (Ctrl-C again to quit at once).'));
      };
      release = await lockSetup(input, clients, 'teardown');
      prepared = await prepareTeardown(input, clients, options, progress.sink, deps.now);
      const steps = await interruptible((signal) => applyTeardown(prepared, clients, progress.sink, { signal }), stopping);
      progress.stop();
      if (output.json) {
        output.emitJson({ ...applyJson(steps, prepared.plan, prepared.accounts), command: 'teardown' });
      } else {
        const done = renderSteps(steps, output.color);
        if (done && !(interactive && output.stderrIsTTY)) output.print(done);
        output.print(summaryLine(countActions(steps.map((s) => s.action)), 'apply', output.color));
      }
      return 0;
    }
  });
}

/** Flags that do not go together, and the confirmation only a terminal (or --yes) can give. */
function usageProblems(flags: Record<string, unknown>, options: TeardownOptions, interactive: boolean) {
  const problems = [];
  if (options.deleteObjects && !options.deleteBuckets)
    problems.push(problemAt('deleteObjects', 'goes with --delete-buckets: objects are deleted only to delete their bucket'));
  if (!flags.yes && !interactive) {
    problems.push(problemAt('yes', 'is required without a terminal (and with --json): teardown removes things, and there is nobody to ask'));
  }
  return problems;
}
