import type { ChangeKind, Plan } from '../plan/changes.js';
import { RERUN_WIZARD, fail, pass, type Check } from './types.js';

/** Kinds of change that the other checks look at in detail. */
const CHECKED_IN_DETAIL: readonly string[] = [
  'bucket', 'public-access-block', 'encryption', 'ownership', 'versioning', 'role', 'role-policy', 'bucket-policy', 'replication', 'reader-policy',
] satisfies ChangeKind[];

/**
 * Every other step of the plan (the KMS keys and key policies with sse-kms, and whatever the plan grows later) is
 * checked by the plan's own verdict: a step that is not a no-op is drift from the setup.
 */
export function otherPlanChecks(plan: Plan): Check[] {
  return plan.changes
    .filter((change) => !CHECKED_IN_DETAIL.includes(change.kind))
    .map((change) => {
      const id = `${change.side}.${change.id.startsWith(`${change.side}-`) ? change.id.slice(change.side.length + 1) : change.id}`;
      return change.action === 'no-op'
        ? pass(id, `${change.title}: as set up${change.note ? ` (${change.note})` : ''}`)
        : fail(id, `${change.title}: not as set up (${change.action} pending${change.note ? `, ${change.note}` : ''})`, `${RERUN_WIZARD}.`);
    });
}
