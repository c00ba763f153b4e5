import type { IAMClient } from '@aws-sdk/client-iam';
import * as ops from './catalogue.js';
import { isErrorNamed } from './errors.js';
import { type CallMemory, once } from './once.js';
import { sendAll } from './send.js';

// The previous release named the tool's inline policies differently, and a read still looks for such a policy (the
// plan retires it). Whether a principal has one is asked once per process by listing its inline policies, not by a
// GetRolePolicy/GetUserPolicy of the old name in every read: a fleet's setups share one role and its readers, and
// three reads a setup (before the lock, under it, the closing verify) made that two calls each. A listing kept from
// earlier in the run may still name a legacy policy the run has since deleted (the read of it then finds none); the
// tool never creates one, so a kept listing cannot miss one.
const listings: CallMemory<ReadonlySet<string>> = new WeakMap();

/** Who holds inline policies. */
export type PolicyHolder = { kind: 'role' | 'user' | 'group'; name: string };

/** The names of a holder's inline policies, every page. */
export function listInlinePolicies(iam: IAMClient, { kind, name }: PolicyHolder): Promise<string[]> {
  const names = (page: { PolicyNames?: string[] }): string[] | undefined => page.PolicyNames;
  if (kind === 'role') return sendAll(iam, ops.iam.ListRolePolicies, { RoleName: name }, names);
  if (kind === 'user') return sendAll(iam, ops.iam.ListUserPolicies, { UserName: name }, names);
  return sendAll(iam, ops.iam.ListGroupPolicies, { GroupName: name }, names);
}

/** The names of the inline policies on a role or user, as first listed by this process (none when it does not exist). */
export function inlinePolicyNames(iam: IAMClient, kind: 'role' | 'user', name: string): Promise<ReadonlySet<string>> {
  return once(listings, iam, `${kind}|${name}`, async () => {
    try {
      return new Set(await listInlinePolicies(iam, { kind, name }));
    } catch (error) {
      if (isErrorNamed(error, 'NoSuchEntity', 'NoSuchEntityException')) return new Set<string>();
      throw error;
    }
  });
}

/** Reads the previous release's policy of `name` through `read` only when the principal's listing has it. */
export async function readLegacyPolicy<T>(
  iam: IAMClient,
  kind: 'role' | 'user',
  name: string,
  legacyName: string | undefined,
  currentName: string,
  read: (policyName: string) => Promise<T | undefined>,
): Promise<T | undefined> {
  if (!legacyName || legacyName === currentName) return undefined;
  return (await inlinePolicyNames(iam, kind, name)).has(legacyName) ? read(legacyName) : undefined;
}
