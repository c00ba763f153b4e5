import * as ops from '../aws/catalogue.js';
import { deleteRole, deleteRolePolicy, putRolePolicy, updateTrustPolicy } from '../aws/iam-role.js';
import { createBatchRole } from '../aws/s3-batch.js';
import { batchRoleSteps, batchRoleTeardown } from '../plan/batch-steps.js';
import type { ResourceKind } from './contract.js';

/** The batch role, trusted by S3 Batch Operations alone, with its least-privilege inline policy. */
export const batchRoleKind: ResourceKind<'batch-role'> = {
  kind: 'batch-role',
  plan: batchRoleSteps,
  teardown: batchRoleTeardown,
  order: () => 60,
  reads: [ops.iam.GetRole, ops.iam.GetRolePolicy],
  writes: (change) =>
    change.action === 'create'
      ? [ops.iam.CreateRole, ops.iam.PutRolePolicy]
      : change.action === 'delete'
        ? [ops.iam.DeleteRolePolicy, ops.iam.DeleteRole]
        : [ops.iam.UpdateAssumeRolePolicy, ops.iam.PutRolePolicy],
  async apply(change, { iam }) {
    if (change.action === 'delete') {
      await deleteRolePolicy(iam, change.roleName, change.policyName);
      return deleteRole(iam, change.roleName);
    }
    if (change.action === 'create') await createBatchRole(iam, change.roleName, change.trustPolicy);
    else await updateTrustPolicy(iam, change.roleName, change.trustPolicy);
    await putRolePolicy(iam, change.roleName, change.policyName, change.document);
  },
  project(live, change, echo) {
    if (!live.batch) return;
    const { role } = live.batch;
    live.batch.role =
      change.action === 'delete'
        ? { name: role.name, arn: role.arn, exists: false }
        : {
            ...role,
            exists: true,
            createdByTool: true,
            trustPolicy: echo.policy(change.trustPolicy, 'iam'),
            inlinePolicy: echo.policy(change.document, 'iam'),
          };
  },
  // Verify judges it by the plan's verdict: drift (or a job that should exist and does not) is a pending step.
  verify: 'plan-verdict',
};
