import type { StepResult } from '../engine/apply-result.js';
import { InputError, type ReplicateSetupError } from '../errors.js';
import type { Accounts } from '../input/types.js';
import { changeDocuments, type Plan } from '../plan/changes.js';
import { countActions } from './plan-view.js';

export function planJson(plan: Plan, accounts: Accounts): Record<string, unknown> {
  return {
    ok: true,
    command: 'plan',
    accounts,
    steps: plan.changes.map((change) => ({
      id: change.id,
      title: change.title,
      side: change.side,
      action: change.action,
      resource: change.resource,
      // What apply would send for this step (nothing for a no-op).
      kind: change.kind,
      calls: change.action === 'no-op' ? [] : (change.calls ?? []),
      ...(change.note ? { note: change.note } : {}),
      ...changeDocuments(change),
    })),
    notes: plan.notes,
    summary: countActions(plan.changes.map((c) => c.action)),
  };
}

export const stepJson = (step: StepResult): Record<string, unknown> => ({
  id: step.id,
  title: step.title,
  action: step.action,
  resource: step.resource,
  status: step.status,
  ...(step.note ? { note: step.note } : {}),
  ...(step.error ? { error: { code: step.error.code, message: step.error.message, remedy: step.error.remedy } } : {}),
});

export function applyJson(steps: StepResult[], plan: Plan, accounts: Accounts): Record<string, unknown> {
  return {
    ok: true,
    command: 'wizard',
    accounts,
    steps: steps.map(stepJson),
    notes: plan.notes,
    summary: countActions(steps.map((s) => s.action)),
  };
}

export function errorJson(error: ReplicateSetupError, steps?: StepResult[]): Record<string, unknown> {
  return {
    ok: false,
    error: {
      code: error.code,
      message: error.message,
      ...(error.remedy ? { remedy: error.remedy } : {}),
      ...(error instanceof InputError ? { problems: error.problems } : {}),
    },
    ...(steps ? { steps: steps.map(stepJson) } : {}),
  };
}
