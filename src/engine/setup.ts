import type { AwsClients } from '../aws/clients.js';
import type { SetupInput } from '../input/types.js';
import { planChanges } from '../kinds/planner.js';
import { pendingChanges } from '../plan/changes.js';
import type { PlanOptions } from '../plan/context.js';
import type { PreparedSetup } from '../plan/prepared.js';
import type { ApplyOptions, StepResult } from './apply.js';
import { applyKeysFirst } from './apply-keys-first.js';
import type { EventSink } from './events.js';
import { readLiveState } from './read-live.js';

export type { PreparedSetup };

/** Reads live state and computes the plan: what `plan` prints, what `wizard` confirms, what `verify` checks against. */
export async function prepareSetup(input: SetupInput, clients: AwsClients, events: EventSink): Promise<PreparedSetup> {
  const { accounts, live } = await readLiveState(input, clients, events);
  const plan = planChanges(input, accounts, live, planOptionsFor(clients));
  return { input, accounts, live, plan };
}

const planOptionsFor = (clients: AwsClients): PlanOptions => ({ replicationEchoIsFaithful: clients.isAws });

export async function applySetup(prepared: PreparedSetup, clients: AwsClients, events: EventSink, options: ApplyOptions = {}): Promise<StepResult[]> {
  if (pendingChanges(prepared.plan).length > 0) events({ type: 'phase', phase: 'apply', message: 'Applying changes' });
  // New KMS keys come first: documents naming their ARNs are planned again once the ARNs exist.
  return applyKeysFirst({ ...prepared, planOptions: planOptionsFor(clients) }, clients, events, options);
}
