import * as ops from '../aws/catalogue.js';
import { deleteRolePolicy, putRolePolicy } from '../aws/iam-role.js';
import { rolePolicySteps } from '../plan/role-steps.js';
import { rolePolicyTeardown } from '../plan/teardown.js';
import type { ResourceKind } from './contract.js';

/** The role's least-privilege inline policy for one pair of buckets. */
export const rolePolicyKind: ResourceKind<'role-policy'> = {
  kind: 'role-policy',
  plan: rolePolicySteps,
  teardown: rolePolicyTeardown,
  order: () => 31,
  // verify reads every policy on the role, to judge least privilege.
  reads: [ops.iam.GetRolePolicy, ops.iam.ListRolePolicies, ops.iam.ListAttachedRolePolicies, ops.iam.GetPolicy, ops.iam.GetPolicyVersion],
  writes: (change) => (change.action === 'delete' ? [ops.iam.DeleteRolePolicy] : [ops.iam.PutRolePolicy, ...(change.retire ? [ops.iam.DeleteRolePolicy] : [])]),
  async apply(change, { iam }) {
    if (change.action === 'delete') return deleteRolePolicy(iam, change.roleName, change.policyName);
    await putRolePolicy(iam, change.roleName, change.policyName, change.document);
    // The previous release's name goes only once the new policy is in place: replication never loses its permissions.
    if (change.retire) await deleteRolePolicy(iam, change.roleName, change.retire);
  },
  project(live, change, echo) {
    if (change.action === 'delete') delete live.role.inlinePolicy;
    else live.role = { ...live.role, inlinePolicy: echo.policy(change.document, 'iam') };
    if (change.retire) delete live.role.legacyInlinePolicy;
  },
  verify: { coveredBy: 'role' },
};
