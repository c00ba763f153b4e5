import type { Side } from '../plan/changes.js';
import type { PreparedSetup } from '../plan/prepared.js';
import { PERMISSION_SCOPES, type PermissionScope, plannedCalls } from './calls.js';
import { grantsOf, type PermissionPolicy, policyDocument } from './policy.js';

export { PERMISSION_SCOPES, type PermissionScope } from './calls.js';
export type { PermissionPolicy } from './policy.js';

/** One profile's policy: what `permissions --json` prints for each side. */
export interface ProfilePolicy {
  side: Side;
  /** The named profile, or undefined for the SDK default chain. */
  profile: string | undefined;
  account: string;
  policy: PermissionPolicy;
}

/**
 * Each profile's policy for the commands of `scopes`, generated from the catalogue (actions, resource templates), the
 * kinds (which operations read and write what) and the prepared setup's plan (which side changes which resource).
 */
export function setupPolicies(prepared: PreparedSetup, scopes: readonly PermissionScope[]): ProfilePolicy[] {
  const calls = scopes.flatMap((scope) => plannedCalls(prepared, scope));
  const grants = grantsOf(calls, (side) => ({ account: prepared.accounts[side], region: prepared.input[side].region }));
  return (['source', 'destination'] as const).map((side) => ({
    side,
    profile: prepared.input[side].profile,
    account: prepared.accounts[side],
    policy: policyDocument(grants.get(side) ?? []),
  }));
}

/** `--for all` is every command; otherwise the one named. */
export const scopesFor = (value: string | undefined): PermissionScope[] =>
  value === 'all' ? [...PERMISSION_SCOPES] : [(value ?? 'wizard') as PermissionScope];
