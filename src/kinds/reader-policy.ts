import * as ops from '../aws/catalogue.js';
import { putReaderPolicy } from '../aws/iam-principals.js';
import { deleteRolePolicy, deleteUserPolicy } from '../aws/iam-role.js';
import { readerPolicySteps } from '../plan/reader-steps.js';
import { readerPolicyTeardown } from '../plan/teardown.js';
import { readerIdentityChecks } from '../verify/reader-checks.js';
import type { ResourceKind } from './contract.js';

/** Each authorised reader's identity policy in the destination account (cross-account reads need both sides). */
export const readerPolicyKind: ResourceKind<'reader-policy'> = {
  kind: 'reader-policy',
  plan: readerPolicySteps,
  teardown: readerPolicyTeardown,
  order: () => 70,
  reads: [
    ops.iam.GetUser,
    ops.iam.GetRole,
    ops.iam.GetUserPolicy,
    ops.iam.GetRolePolicy,
    // Listed to find the previous release's policy (aws/inline-policies.ts); verify also reads every policy that
    // applies to a reader, its groups' included.
    ops.iam.ListUserPolicies,
    ops.iam.ListRolePolicies,
    ops.iam.ListAttachedUserPolicies,
    ops.iam.ListGroupsForUser,
    ops.iam.ListGroupPolicies,
    ops.iam.ListAttachedGroupPolicies,
    ops.iam.GetGroupPolicy,
    ops.iam.GetPolicy,
    ops.iam.GetPolicyVersion,
  ],
  writes: (change) => {
    const [put, remove] =
      change.principalKind === 'role' ? [ops.iam.PutRolePolicy, ops.iam.DeleteRolePolicy] : [ops.iam.PutUserPolicy, ops.iam.DeleteUserPolicy];
    return change.action === 'delete' ? [remove] : [put, ...(change.retire ? [remove] : [])];
  },
  async apply(change, { iam }) {
    const remove = (name: string): Promise<void> =>
      change.principalKind === 'role' ? deleteRolePolicy(iam, change.principalName, name) : deleteUserPolicy(iam, change.principalName, name);
    if (change.action === 'delete') return remove(change.policyName);
    await putReaderPolicy(iam, change.principalKind, change.principalName, change.policyName, change.document);
    // The previous release's name goes only once the new policy is in place: the reader never loses access.
    if (change.retire) await remove(change.retire);
  },
  project(live, change, echo) {
    const reader = [...live.readers, ...(live.namedReaders ?? [])].find((r) => r.arn === change.resource);
    if (!reader) throw new Error(`no reader ${change.resource} in the live state`);
    if (change.action === 'delete') delete reader.policy;
    else reader.policy = echo.policy(change.document, 'iam');
    if (change.retire) delete reader.legacyPolicy;
  },
  verify: { checks: readerIdentityChecks },
};
