import type { AwsClients } from '../aws/clients.js';
import type { CallContext } from '../aws/errors.js';
import { permissionOf } from '../aws/operation.js';
import { kindOf } from '../kinds/registry.js';
import type { Change } from '../plan/changes.js';

/**
 * What a change needs from AWS, said the way a remedy says it. A failed call names its own operation's actions and
 * resource (aws/send.ts); this is what is said when the failure is not one call's (a propagation wait that gave up).
 */
export function callContext(change: Change, profile: string | undefined): CallContext {
  const permission = [...new Set(kindOf(change).writes(change).map(permissionOf))].join(' and ');
  return { doing: `applying "${change.title}"`, profile, permission, resource: change.resource };
}

/** Performs one change with its kind's module. Each write is idempotent, so a step retried after a lost response does no harm. */
export async function executeChange(change: Change, clients: AwsClients, report?: (progress: string, fraction?: number) => void): Promise<void> {
  // The planner marks what still waits on a new key; reaching AWS with one would be a planner bug.
  if (change.pending) throw new Error(`internal error: step ${change.id} still names a value known only after apply`);
  await kindOf(change).apply(change, clients[change.side], report);
}
