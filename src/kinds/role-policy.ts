import * as ops from '../aws/catalogue.js';
import { deleteRolePolicy, putRolePolicy } from '../aws/iam-role.js';
import { rolePolicySteps } from '../plan/role-steps.js';
import type { ResourceKind } from './contract.js';

/** The role's least-privilege inline policy for one pair of buckets. */
export const rolePolicyKind: ResourceKind<'role-policy'> = {
  kind: 'role-policy',
  plan: rolePolicySteps,
  order: () => 31,
  // verify reads every policy on the role, to judge least privilege.
  reads: [ops.iam.GetRolePolicy, ops.iam.ListRolePolicies, ops.iam.ListAttachedRolePolicies, ops.iam.GetPolicy, ops.iam.GetPolicyVersion],
  writes: (change) => [change.action === 'delete' ? ops.iam.DeleteRolePolicy : ops.iam.PutRolePolicy],
  async apply(change, { iam }) {
    if (change.action === 'delete') await deleteRolePolicy(iam, change.roleName, change.policyName);
    else await putRolePolicy(iam, change.roleName, change.policyName, change.document);
  },
  project(live, change, echo) {
    if (change.action === 'delete') delete live.role.inlinePolicy;
    else live.role = { ...live.role, inlinePolicy: echo.policy(change.document, 'iam') };
  },
  verify: { coveredBy: 'role' },
};
