import type { AwsClients } from '../aws/clients.js';
import type { Accounts, SetupInput } from '../input/types.js';
import { planTeardown, type TeardownPlan } from '../kinds/teardown-planner.js';
import type { LiveState } from '../plan/live.js';
import type { TeardownOptions } from '../plan/teardown.js';
import { type ApplyOptions, applyPlan, type StepResult } from './apply.js';
import type { EventSink } from './events.js';
import { readLiveAlerts } from './read-alerts.js';
import { readLiveState } from './read-live.js';
import { readTeardownFacts } from './read-teardown.js';

export interface PreparedTeardown {
  input: SetupInput;
  accounts: Accounts;
  live: LiveState;
  plan: TeardownPlan;
}

/** Reads both accounts (only reads) and plans what removing this setup takes: what `teardown` shows before it asks. */
export async function prepareTeardown(
  input: SetupInput,
  clients: AwsClients,
  options: TeardownOptions,
  events: EventSink,
  now = new Date(),
): Promise<PreparedTeardown> {
  const { accounts, live } = await readLiveState(input, clients, events, { batchParts: true });
  // Alerts are removed even when their flags are no longer given: they are found by the setup id. Both reads only
  // depend on the live state, so they run at once.
  const [alerts, facts] = await Promise.all([
    live.alerts ? undefined : readLiveAlerts(input, clients.source, accounts, live.source),
    readTeardownFacts(input, clients, live, options),
  ]);
  if (alerts) live.alerts = alerts.alerts;
  const plan = planTeardown(input, accounts, live, facts, { ...options, now }, { replicationEchoIsFaithful: clients.isAws });
  return { input, accounts, live, plan };
}

/** Removes it, as a dependency graph in the order the plan's dependencies give (the rule first, buckets last). */
export async function applyTeardown(prepared: PreparedTeardown, clients: AwsClients, events: EventSink, options: ApplyOptions = {}): Promise<StepResult[]> {
  if (prepared.plan.changes.length > 0) events({ type: 'phase', phase: 'apply', message: 'Removing this setup' });
  return applyPlan(prepared.plan, clients, events, options);
}
