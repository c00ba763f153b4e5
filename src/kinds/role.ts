import * as ops from '../aws/catalogue.js';
import { createRole, deleteRole, updateTrustPolicy } from '../aws/iam-role.js';
import { roleSteps } from '../plan/role-steps.js';
import { roleTeardown } from '../plan/teardown.js';
import { knownRolePolicies } from '../verify/identity-policies.js';
import { principalPolicies } from '../verify/reader-checks.js';
import { roleChecks } from '../verify/role-checks.js';
import type { ResourceKind } from './contract.js';

/** The replication role in the source account, trusted by S3 alone. */
export const roleKind: ResourceKind<'role'> = {
  kind: 'role',
  plan: roleSteps,
  teardown: roleTeardown,
  order: () => 30,
  reads: [ops.iam.GetRole],
  writes: (change) => [change.action === 'create' ? ops.iam.CreateRole : change.action === 'delete' ? ops.iam.DeleteRole : ops.iam.UpdateAssumeRolePolicy],
  async apply(change, { iam }) {
    if (change.action === 'create') await createRole(iam, change.roleName, change.trustPolicy);
    else if (change.action === 'delete') await deleteRole(iam, change.roleName);
    else await updateTrustPolicy(iam, change.roleName, change.trustPolicy);
  },
  project(live, change, echo) {
    live.role =
      change.action === 'delete'
        ? { name: live.role.name, arn: live.role.arn, exists: false }
        : { ...live.role, exists: true, trustPolicy: echo.policy(change.trustPolicy, 'iam') };
  },
  // Judges the role and every policy on it, the tool's inline one (role-policy) included.
  verify: {
    async checks(vc) {
      const { role } = vc.prepared.live;
      const { input, accounts, live } = vc.prepared;
      const known = knownRolePolicies(input, accounts, live);
      const policies = role.exists ? await principalPolicies(vc, 'source', { kind: 'role', name: role.name }, known) : [];
      return roleChecks(vc, policies);
    },
  },
};
