import type { AwsClients } from '../aws/clients.js';
import { translateAwsError } from '../aws/errors.js';
import { ReplicateSetupError } from '../errors.js';
import type { Change, Plan } from '../plan/changes.js';
import { ApplyFailedError, type StepResult, type StepStatus } from './apply-result.js';
import type { EventSink } from './events.js';
import { callContext, executeChange } from './executors.js';
import { DEFAULT_PROPAGATION_RETRY, isPropagationError, propagationGaveUp, type RetryPolicy, withPropagationRetry } from './retry.js';

export { ApplyFailedError, type StepResult, type StepStatus };

export interface ApplyOptions {
  retry?: RetryPolicy;
  /** Ctrl-C: steps already under way finish, nothing new starts. */
  signal?: AbortSignal;
}

/**
 * Runs the plan's changes as a dependency graph: every change starts as soon as the ones it depends on are done, so
 * independent work (the role and the buckets) runs concurrently. A failed step stops its dependants, not its peers.
 */
export async function applyPlan(plan: Plan, clients: AwsClients, events: EventSink, options: ApplyOptions = {}): Promise<StepResult[]> {
  const retry = options.retry ?? DEFAULT_PROPAGATION_RETRY;
  const outcomes = new Map<string, Promise<StepStatus>>();
  const results = new Map<string, StepResult>();
  const byId = new Map(plan.changes.map((change) => [change.id, change]));

  const run = (change: Change): Promise<StepStatus> => {
    const existing = outcomes.get(change.id);
    if (existing) return existing;
    const outcome = (async (): Promise<StepStatus> => {
      const deps = await Promise.all(change.dependsOn.filter((id) => byId.has(id)).map((id) => run(byId.get(id)!)));
      const record = (status: StepStatus, error?: ReplicateSetupError): StepStatus => {
        results.set(change.id, {
          id: change.id,
          title: change.title,
          action: change.action,
          resource: change.resource,
          status,
          ...(change.note ? { note: change.note } : {}),
          ...(error ? { error } : {}),
        });
        return status;
      };
      if (change.action === 'no-op') return record('unchanged');
      if (deps.some((status) => status === 'failed' || status === 'not-run') || options.signal?.aborted) return record('not-run');
      events({ type: 'step-start', change });
      try {
        await withPropagationRetry(
          retry,
          () =>
            executeChange(change, clients, (message, fraction) =>
              events({ type: 'step-progress', change, message, ...(fraction === undefined ? {} : { fraction }) }),
            ),
          (attempt, delayMs, error) => events({ type: 'step-waiting', change, attempt, delayMs, reason: (error as Error).message ?? String(error) }),
          options.signal,
        );
        events({ type: 'step-done', change });
        return record('done');
      } catch (error) {
        const translated = stepError(error, change, clients, retry, options.signal);
        events({ type: 'step-failed', change, error: translated });
        return record('failed', translated);
      }
    })();
    outcomes.set(change.id, outcome);
    return outcome;
  };

  await Promise.all(plan.changes.map(run));
  const steps = plan.changes.map((change) => results.get(change.id)!);
  const failed = steps.find((step) => step.status === 'failed');
  if (failed?.error) throw new ApplyFailedError(steps, failed.error);
  if (options.signal?.aborted && steps.some((s) => s.status === 'not-run')) {
    throw new ApplyFailedError(steps, new ReplicateSetupError('INTERRUPTED', 'Interrupted: steps under way were finished, no new step was started.'));
  }
  return steps;
}

/** A propagation error is only thrown once the retries are used up, or when Ctrl-C stopped the waiting. */
function stepError(error: unknown, change: Change, clients: AwsClients, retry: RetryPolicy, signal: AbortSignal | undefined): ReplicateSetupError {
  const context = callContext(change, clients[change.side].profile);
  if (!isPropagationError(error)) return translateAwsError(error, context);
  if (signal?.aborted) {
    return new ReplicateSetupError('INTERRUPTED', `Interrupted while waiting for AWS to accept ${context.doing}.`, { cause: error });
  }
  return propagationGaveUp(error, context, retry);
}
