import type { Accounts, SetupInput } from '../input/types.js';
import { type Change, type ChangeOf, dependentsOf, type Plan, type StepId } from '../plan/changes.js';
import { documentContext, type PlanContext, type PlanOptions } from '../plan/context.js';
import type { LiveState } from '../plan/live.js';
import { scenarioNotes } from '../plan/scenario-notes.js';
import type { Echo } from './contract.js';
import { ALL_KINDS, kindOf } from './registry.js';

/**
 * Pure: the ordered changes that move live state to the desired state, every kind's planner in turn. No-op changes
 * are kept, to be reported. Changes whose documents name a key this plan creates are marked pending.
 */
export function planChanges(input: SetupInput, accounts: Accounts, live: LiveState, options: PlanOptions): Plan {
  const pc: PlanContext = { documents: documentContext(input, accounts, live), live, options, notes: [] };
  const planned = ALL_KINDS.flatMap((kind): Change[] => kind.plan(pc));
  const ranked = planned.map((change, index) => ({ change, rank: kindOf(change).order(change), index }));
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  const changes = ranked.map(({ change }) => change);
  const replication = changes.find((change): change is ChangeOf<'replication'> => change.kind === 'replication');
  const notes = [...pc.notes, ...scenarioNotes(input, accounts, replication?.configuration ?? { Role: '', Rules: [] })];
  const newKeys = changes.filter((change) => change.kind === 'kms-key' && change.action === 'create').map((change) => change.id);
  const waiting = dependentsOf(changes, newKeys);
  return { changes: changes.map((change) => finish(change, waiting)), notes };
}

function finish(change: Change, waiting: Set<StepId>): Change {
  const calls = kindOf(change)
    .writes(change)
    .map((operation) => operation.id);
  if (!waiting.has(change.id)) return { ...change, calls };
  // A change whose documents name a key that does not exist yet says so, as terraform does.
  return { ...change, calls, pending: true, ...(change.note ? {} : { note: 'key ARN known after apply' }) };
}

/** The live state once every change of the plan is made, read back through `echo`. */
export function projectPlan(plan: Plan, before: LiveState, echo: Echo): LiveState {
  const live = structuredClone(before);
  for (const change of plan.changes) kindOf(change).project(live, change, echo);
  return live;
}
