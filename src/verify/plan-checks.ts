import type { Change } from '../plan/changes.js';
import { type Check, fail, pass, RERUN_WIZARD } from './types.js';

/**
 * The checks of a kind verified by the plan's own verdict (the KMS keys and key policies with sse-kms): a step that
 * is not a no-op is drift from the setup.
 */
export function planVerdictChecks(changes: readonly Change[]): Check[] {
  return changes.map((change) => {
    const id = `${change.side}.${change.id.startsWith(`${change.side}-`) ? change.id.slice(change.side.length + 1) : change.id}`;
    return change.action === 'no-op'
      ? pass(id, `${change.title}: as set up${change.note ? ` (${change.note})` : ''}`)
      : fail(id, `${change.title}: not as set up (${change.action} pending${change.note ? `, ${change.note}` : ''})`, `${RERUN_WIZARD}.`);
  });
}
