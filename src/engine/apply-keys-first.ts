import type { AwsClients } from '../aws/clients.js';
import { translateAwsError } from '../aws/errors.js';
import { isReplicateSetupError } from '../errors.js';
import type { Accounts, SetupInput } from '../input/types.js';
import { planChanges } from '../kinds/planner.js';
import { dependentsOf, type Plan } from '../plan/changes.js';
import type { PlanOptions } from '../plan/context.js';
import { kmsKeyStep } from '../plan/diff-kms.js';
import type { LiveState } from '../plan/live.js';
import { KNOWN_AFTER_APPLY } from '../plan/pending.js';
import { ApplyFailedError, type ApplyOptions, applyPlan, type StepResult } from './apply.js';
import type { EventSink } from './events.js';
import { readKmsKey } from './read-kms.js';
import { DEFAULT_PROPAGATION_RETRY, delaysOf, type RetryPolicy } from './retry.js';

export interface KeysFirstInput {
  input: SetupInput;
  accounts: Accounts;
  live: LiveState;
  plan: Plan;
  planOptions: PlanOptions;
}

/**
 * Applies a plan whose documents name KMS keys that do not exist yet ("known after apply"). Everything that does not
 * wait on a new key runs first, keys included. Then the keys are read back and the same pure planner runs again with
 * their real ARNs; the steps that waited run from that plan. No document is built here: the planner builds them all.
 */
export async function applyKeysFirst(run: KeysFirstInput, clients: AwsClients, events: EventSink, options: ApplyOptions): Promise<StepResult[]> {
  const { plan } = run;
  const newKeys = plan.changes.filter((change) => change.kind === 'kms-key' && change.action === 'create').map((change) => change.id);
  if (newKeys.length === 0) return applyPlan(plan, clients, events, options);

  const waiting = dependentsOf(plan.changes, newKeys);
  const first = await phase({ ...plan, changes: plan.changes.filter((change) => !waiting.has(change.id)) }, plan, clients, events, options, []);

  let kms: LiveState['kms'];
  try {
    kms = await readKeysBack(run, clients, options.retry ?? DEFAULT_PROPAGATION_RETRY, options.signal);
  } catch (error) {
    // The steps already done must still be reported, with a remedy, not lost in a raw SDK error.
    const cause = translateAwsError(error, {
      doing: 'reading the new KMS keys back by alias',
      profile: `${clients.source.profile ?? 'default chain'}/${clients.destination.profile ?? 'default chain'}`,
    });
    throw new ApplyFailedError(first, cause);
  }
  const replanned = planChanges(run.input, run.accounts, { ...run.live, kms }, run.planOptions);
  const second = { ...replanned, changes: replanned.changes.filter((change) => waiting.has(change.id)) };
  return phase(second, plan, clients, events, options, withKeyArns(first, kms));
}

/** A finished key step names the ARN it was planned without: "(known after apply)" is known now. */
function withKeyArns(steps: StepResult[], kms: LiveState['kms']): StepResult[] {
  return steps.map((step) => {
    const side = (['source', 'destination'] as const).find((s) => kmsKeyStep(s) === step.id);
    const arn = side && kms?.[side].arn;
    return arn && step.status === 'done' ? { ...step, title: step.title.replace(KNOWN_AFTER_APPLY, arn) } : step;
  });
}

/**
 * KMS is eventually consistent: an alias created a moment ago may not resolve yet. The keys are looked up again with
 * the propagation backoff until both answer, rather than stopping the run before the policies and the rule.
 */
async function readKeysBack(run: KeysFirstInput, clients: AwsClients, retry: RetryPolicy, signal?: AbortSignal): Promise<LiveState['kms']> {
  const waits = delaysOf(retry);
  for (let attempt = 0; ; attempt += 1) {
    const [source, destination] = await Promise.all([
      readKmsKey(run.input, 'source', clients.source, run.accounts, run.live.source),
      readKmsKey(run.input, 'destination', clients.destination, run.accounts, run.live.destination),
    ]);
    const missing = [source, destination].find((read) => !read.key.arn);
    if (!missing) return { source: source.key, destination: destination.key };
    const wait = waits[attempt];
    if (wait === undefined || signal?.aborted) {
      throw new Error(`KMS key ${missing.key.alias} was created but cannot be found again by its alias after ${retry.attempts} attempts`);
    }
    await retry.sleep(wait, signal);
  }
}

/**
 * Runs one phase and reports every step of the original plan: those of earlier phases as they ended, those of later
 * ones as not run. Steps keep the action the user was shown (a key policy planned as "create" stays one).
 */
async function phase(part: Plan, whole: Plan, clients: AwsClients, events: EventSink, options: ApplyOptions, earlier: StepResult[]): Promise<StepResult[]> {
  const merge = (ran: StepResult[]): StepResult[] => {
    const byId = new Map([...earlier, ...ran].map((step) => [step.id, step]));
    return whole.changes.map((change): StepResult => {
      const step = byId.get(change.id);
      if (step) return { ...step, action: change.action };
      return {
        id: change.id,
        title: change.title,
        action: change.action,
        resource: change.resource,
        status: change.action === 'no-op' ? 'unchanged' : 'not-run',
      };
    });
  };
  try {
    return merge(await applyPlan(part, clients, events, options));
  } catch (error) {
    if (error instanceof ApplyFailedError && isReplicateSetupError(error.cause)) throw new ApplyFailedError(merge(error.steps), error.cause);
    throw error;
  }
}
