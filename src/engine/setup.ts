import type { AwsClients } from '../aws/clients.js';
import type { SetupInput } from '../input/types.js';
import { planChanges } from '../plan/diff.js';
import type { Plan } from '../plan/changes.js';
import { applyPlan, type ApplyOptions, type StepResult } from './apply.js';
import type { EventSink } from './events.js';
import { readLiveState, type LiveRead } from './read-live.js';

export interface PreparedSetup extends LiveRead {
  input: SetupInput;
  plan: Plan;
}

/** Reads live state and computes the plan: what `plan` prints, what `wizard` confirms, what `verify` checks against. */
export async function prepareSetup(input: SetupInput, clients: AwsClients, events: EventSink): Promise<PreparedSetup> {
  const { accounts, live } = await readLiveState(input, clients, events);
  const plan = planChanges(input, accounts, live, { replicationEchoIsFaithful: clients.isAws });
  return { input, accounts, live, plan };
}

export async function applySetup(prepared: PreparedSetup, clients: AwsClients, events: EventSink, options: ApplyOptions = {}): Promise<StepResult[]> {
  events({ type: 'phase', phase: 'apply', message: 'Applying changes' });
  return applyPlan(prepared.plan, clients, events, options);
}
