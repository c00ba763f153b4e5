import type { AwsClients } from '../aws/clients.js';
import { InputError } from '../errors.js';
import type { SetupInput } from '../input/types.js';
import { planChanges } from '../kinds/planner.js';
import { pendingChanges } from '../plan/changes.js';
import type { PlanOptions } from '../plan/context.js';
import type { PreparedSetup } from '../plan/prepared.js';
import type { ApplyOptions, StepResult } from './apply.js';
import { applyKeysFirst } from './apply-keys-first.js';
import type { EventSink } from './events.js';
import { startPreflight } from './preflight.js';
import { type ReadOptions, readLiveState } from './read-live.js';

export type { PreparedSetup };

/** Reads live state and computes the plan: what `plan` prints, what `wizard` confirms, what `verify` checks against. */
export async function prepareSetup(input: SetupInput, clients: AwsClients, events: EventSink, options: ReadOptions = {}): Promise<PreparedSetup> {
  const { accounts, live } = await readLiveState(input, clients, events, options);
  const plan = planChanges(input, accounts, live, planOptionsFor(clients));
  return { input, accounts, live, plan };
}

/** A writing run's first read: the whole plan, or only the word that it must take its locks first. */
export type FirstRead<P = PreparedSetup> = { lockFirst: true } | { prepared: P };

/**
 * A run that writes reads twice: once to know whether it writes at all (a run with nothing to change takes no lock),
 * once under its locks. When the preflight alone already shows that it writes (the source bucket does not exist
 * yet) and that nothing read later could refuse the input, the first read stops there: the locks are taken straight
 * away and the whole state is read once, under them (one round trip fewer). KMS keys and alerts are judged by later
 * reads, and a permission check needs the plan, so those runs (`mayLockFirst` false) read everything first. The
 * preflight's problems are thrown as readLiveState would throw them.
 */
export async function firstRead(input: SetupInput, clients: AwsClients, events: EventSink, { mayLockFirst }: { mayLockFirst: boolean }): Promise<FirstRead> {
  events({ type: 'phase', phase: 'read', message: 'Reading both accounts' });
  const started = startPreflight(input, clients);
  if (mayLockFirst && input.encryption !== 'sse-kms' && !input.alerts) {
    const { problems, source } = await started.preflight;
    if (problems.length > 0) throw new InputError(problems, 'INVALID_INPUT');
    if (source.ownership === 'absent') return { lockFirst: true };
  }
  return { prepared: await prepareSetup(input, clients, events, { started }) };
}

const planOptionsFor = (clients: AwsClients): PlanOptions => ({ replicationEchoIsFaithful: clients.isAws });

export async function applySetup(prepared: PreparedSetup, clients: AwsClients, events: EventSink, options: ApplyOptions = {}): Promise<StepResult[]> {
  if (pendingChanges(prepared.plan).length > 0) events({ type: 'phase', phase: 'apply', message: 'Applying changes' });
  // New KMS keys come first: documents naming their ARNs are planned again once the ARNs exist.
  return applyKeysFirst({ ...prepared, planOptions: planOptionsFor(clients) }, clients, events, options);
}
