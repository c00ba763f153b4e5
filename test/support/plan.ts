// Shared by the pure planner's tests (test/plan-diff*.test.ts).
import type { Change, Plan } from '../../src/plan/changes.js';
import type { PlanOptions } from '../../src/plan/context.js';

export const AWS: PlanOptions = { replicationEchoIsFaithful: true };
export const MOTO: PlanOptions = { replicationEchoIsFaithful: false };

export const actions = (plan: Plan): Record<string, Change['action']> => Object.fromEntries(plan.changes.map((c) => [c.id, c.action]));

export const change = (plan: Plan, id: string): Change => {
  const found = plan.changes.find((c) => c.id === id);
  if (!found) throw new Error(`no change ${id} in ${plan.changes.map((c) => c.id).join(', ')}`);
  return found;
};

export const changed = (plan: Plan): string[] => plan.changes.filter((c) => c.action !== 'no-op').map((c) => c.id);
