import type { IAMClient } from '@aws-sdk/client-iam';
import { parsePolicy } from '../plan/compare.js';
import type { LiveRole } from '../plan/live.js';
import type { PolicyDocument } from '../plan/policy-types.js';
import * as ops from './catalogue.js';
import { isErrorNamed } from './errors.js';
import { readLegacyPolicy } from './inline-policies.js';
import { type CallMemory, forgetUnderWay, joinUnderWay, once } from './once.js';
import { send } from './send.js';

/** The tag on everything the tool creates: teardown deletes a role only when the tool created it. */
export const MANAGED_BY = { Key: 'managed-by', Value: 'replicate-setup' };

/** The role name is the last path segment of its ARN (roles may live under a path). */
export const roleNameOf = (arn: string): string => arn.split('/').pop()!;

// A fleet's setups share one replication role per source account and read it at about the same time (each read
// under its own bucket locks, then each closing verify). A GetRole asked while the same one is still on its way joins
// it instead of asking again; an answer is never kept once it has arrived, so a later read is always a fresh one. A
// write to the role drops the read under way (see `wrote` below), so no read that starts after a write can be
// answered by one that started before it.
const roleReadsUnderWay: CallMemory<Awaited<ReturnType<typeof getRole>>> = new WeakMap();

const getRole = (iam: IAMClient, roleName: string) => send(iam, ops.iam.GetRole, { RoleName: roleName });

/** Runs a write to the role: reads under way before it, or while it runs, are not joined by later ones. */
async function wrote<T>(iam: IAMClient, roleName: string, write: () => Promise<T>): Promise<T> {
  forgetUnderWay(roleReadsUnderWay, iam, roleName);
  try {
    return await write();
  } finally {
    forgetUnderWay(roleReadsUnderWay, iam, roleName);
  }
}

/** The role, its trust, and the tool's inline policy for one pair (under its name, and the previous release's). */
export async function readRole(iam: IAMClient, arn: string, policyName: string, legacyPolicyName?: string): Promise<LiveRole> {
  const name = roleNameOf(arn);
  try {
    const [{ Role }, inlinePolicy, legacyInlinePolicy] = await Promise.all([
      joinUnderWay(roleReadsUnderWay, iam, name, () => getRole(iam, name)),
      readInlineRolePolicy(iam, name, policyName),
      readLegacyPolicy(iam, 'role', name, legacyPolicyName, policyName, (legacy) => readInlineRolePolicy(iam, name, legacy)),
    ]);
    // GetRole takes a name: a role of that name under another path is another role, not the one the ARN names.
    if (Role?.Arn && Role.Arn !== arn) return { name, arn, exists: false };
    const trustPolicy = parsePolicy(Role?.AssumeRolePolicyDocument);
    return {
      name,
      arn,
      exists: true,
      ...(trustPolicy ? { trustPolicy } : {}),
      ...(inlinePolicy ? { inlinePolicy } : {}),
      ...(legacyInlinePolicy ? { legacyInlinePolicy } : {}),
      ...(Role?.Tags?.some((tag) => tag.Key === MANAGED_BY.Key && tag.Value === MANAGED_BY.Value) ? { createdByTool: true } : {}),
    };
  } catch (error) {
    if (isErrorNamed(error, 'NoSuchEntity', 'NoSuchEntityException')) return { name, arn, exists: false };
    throw error;
  }
}

export async function readInlineRolePolicy(iam: IAMClient, roleName: string, policyName: string): Promise<PolicyDocument | undefined> {
  try {
    const { PolicyDocument: text } = await send(iam, ops.iam.GetRolePolicy, { RoleName: roleName, PolicyName: policyName });
    return parsePolicy(text);
  } catch (error) {
    if (isErrorNamed(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
    throw error;
  }
}

// Setups of one fleet file share one replication role per source account and run at once, and the role has no lock
// (the buckets do): each would plan and send its creation. The first setup's CreateRole (or trust update) serves the
// others of this process, so the shared role is written once; a deletion forgets it.
const rolesWritten: CallMemory<unknown> = new WeakMap();
const writtenOnce = (
  iam: IAMClient,
  what: 'create' | 'trust',
  roleName: string,
  trustPolicy: PolicyDocument,
  write: () => Promise<unknown>,
): Promise<unknown> => once(rolesWritten, iam, `${what}|${roleName}|${JSON.stringify(trustPolicy)}`, () => wrote(iam, roleName, write));

const forgetRole = (iam: IAMClient, roleName: string): void => {
  for (const key of rolesWritten.get(iam)?.keys() ?? []) if (key.split('|')[1] === roleName) rolesWritten.get(iam)!.delete(key);
};

export async function createRole(
  iam: IAMClient,
  roleName: string,
  trustPolicy: PolicyDocument,
  description = 'S3 replication role created by replicate-setup',
): Promise<void> {
  await writtenOnce(iam, 'create', roleName, trustPolicy, async () => {
    try {
      await send(iam, ops.iam.CreateRole, {
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify(trustPolicy),
        Description: description,
        Tags: [MANAGED_BY],
      });
    } catch (error) {
      // A create retried after a lost response finds its own role: the goal is reached.
      if (!isErrorNamed(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException')) throw error;
    }
  });
}

export const updateTrustPolicy = (iam: IAMClient, roleName: string, trustPolicy: PolicyDocument): Promise<unknown> =>
  writtenOnce(iam, 'trust', roleName, trustPolicy, () =>
    send(iam, ops.iam.UpdateAssumeRolePolicy, { RoleName: roleName, PolicyDocument: JSON.stringify(trustPolicy) }),
  );

export const putRolePolicy = (iam: IAMClient, roleName: string, policyName: string, document: PolicyDocument): Promise<unknown> =>
  send(iam, ops.iam.PutRolePolicy, { RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) });

const ignoreMissing = async (run: () => Promise<unknown>): Promise<void> => {
  try {
    await run();
  } catch (error) {
    if (!isErrorNamed(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
  }
};

/** Deletes a role that has no policy left (IAM refuses otherwise); one already gone is the goal reached. */
export const deleteRole = (iam: IAMClient, roleName: string): Promise<void> =>
  wrote(iam, roleName, () => ignoreMissing(() => send(iam, ops.iam.DeleteRole, { RoleName: roleName }))).then(() => forgetRole(iam, roleName));

export const deleteRolePolicy = (iam: IAMClient, roleName: string, policyName: string): Promise<void> =>
  ignoreMissing(() => send(iam, ops.iam.DeleteRolePolicy, { RoleName: roleName, PolicyName: policyName }));

export const deleteUserPolicy = (iam: IAMClient, userName: string, policyName: string): Promise<void> =>
  ignoreMissing(() => send(iam, ops.iam.DeleteUserPolicy, { UserName: userName, PolicyName: policyName }));
