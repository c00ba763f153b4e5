import type { GetUserCommandOutput, IAMClient } from '@aws-sdk/client-iam';
import { parsePolicy } from '../plan/compare.js';
import type { LiveReader } from '../plan/live.js';
import type { PrincipalRef } from '../plan/names.js';
import type { PolicyDocument } from '../plan/policy-types.js';
import * as ops from './catalogue.js';
import { isErrorNamed } from './errors.js';
import { putRolePolicy, readInlineRolePolicy } from './iam-role.js';
import { readLegacyPolicy } from './inline-policies.js';
import { type CallMemory, readOnce } from './once.js';
import { send } from './send.js';

const NOT_FOUND = ['NoSuchEntity', 'NoSuchEntityException'];

// Users are never changed by the tool, and a fleet's setups share their readers: each user is looked up once per
// process (a missing one stops the run at the preflight anyway). A role is asked each time: the tool creates and
// changes roles, and IAM may answer a read right after such a write with the state before it, which must not be kept.
const usersRead: CallMemory<GetUserCommandOutput> = new WeakMap();
const userOnce = (iam: IAMClient, userName: string): Promise<GetUserCommandOutput> =>
  readOnce(usersRead, iam, userName, () => send(iam, ops.iam.GetUser, { UserName: userName }));

/** Whether the principal exists, and its ARN as IAM has it (with its path), when IAM says. */
export async function findPrincipal(iam: IAMClient, ref: Pick<PrincipalRef, 'kind' | 'name'>): Promise<{ exists: boolean; actualArn?: string }> {
  try {
    const arn = ref.kind === 'user' ? (await userOnce(iam, ref.name)).User?.Arn : (await send(iam, ops.iam.GetRole, { RoleName: ref.name })).Role?.Arn;
    return { exists: true, ...(arn ? { actualArn: arn } : {}) };
  } catch (error) {
    if (isErrorNamed(error, ...NOT_FOUND)) return { exists: false };
    throw error;
  }
}

/** The tool's inline identity policy on a reader (and its previous release's name); none when the reader is missing. */
export async function readReaderPolicies(
  iam: IAMClient,
  ref: Pick<PrincipalRef, 'kind' | 'name'>,
  policyName: string,
  legacyPolicyName?: string,
): Promise<Pick<LiveReader, 'policy' | 'legacyPolicy'>> {
  const read = (name: string): Promise<PolicyDocument | undefined> =>
    ref.kind === 'role' ? readInlineRolePolicy(iam, ref.name, name) : readUserPolicy(iam, ref.name, name);
  const [policy, legacyPolicy] = await Promise.all([read(policyName), readLegacyPolicy(iam, ref.kind, ref.name, legacyPolicyName, policyName, read)]);
  return { ...(policy ? { policy } : {}), ...(legacyPolicy ? { legacyPolicy } : {}) };
}

async function readUserPolicy(iam: IAMClient, userName: string, policyName: string): Promise<PolicyDocument | undefined> {
  try {
    const { PolicyDocument: text } = await send(iam, ops.iam.GetUserPolicy, { UserName: userName, PolicyName: policyName });
    return parsePolicy(text);
  } catch (error) {
    if (isErrorNamed(error, ...NOT_FOUND)) return undefined;
    throw error;
  }
}

export async function putReaderPolicy(iam: IAMClient, kind: 'user' | 'role', name: string, policyName: string, document: PolicyDocument): Promise<void> {
  if (kind === 'role') await putRolePolicy(iam, name, policyName, document);
  else await send(iam, ops.iam.PutUserPolicy, { UserName: name, PolicyName: policyName, PolicyDocument: JSON.stringify(document) });
}
