import { GetRoleCommand, GetUserCommand, GetUserPolicyCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { PrincipalRef } from '../plan/names.js';
import type { LiveReader } from '../plan/live.js';
import type { PolicyDocument } from '../plan/policy-types.js';
import { parsePolicy } from '../plan/compare.js';
import { isErrorNamed } from './errors.js';
import { putRolePolicy, readInlineRolePolicy } from './iam-role.js';

const NOT_FOUND = ['NoSuchEntity', 'NoSuchEntityException'];

export async function principalExists(iam: IAMClient, ref: PrincipalRef): Promise<boolean> {
  try {
    if (ref.kind === 'user') await iam.send(new GetUserCommand({ UserName: ref.name }));
    else await iam.send(new GetRoleCommand({ RoleName: ref.name }));
    return true;
  } catch (error) {
    if (isErrorNamed(error, ...NOT_FOUND)) return false;
    throw error;
  }
}

/** A reader's existence and the tool's inline identity policy on it. */
export async function readReader(iam: IAMClient, ref: PrincipalRef, policyName: string): Promise<LiveReader> {
  const exists = await principalExists(iam, ref);
  if (!exists) return { arn: ref.arn, exists };
  const policy = ref.kind === 'role' ? await readInlineRolePolicy(iam, ref.name, policyName) : await readUserPolicy(iam, ref.name, policyName);
  return { arn: ref.arn, exists, ...(policy ? { policy } : {}) };
}

async function readUserPolicy(iam: IAMClient, userName: string, policyName: string): Promise<PolicyDocument | undefined> {
  try {
    const { PolicyDocument: text } = await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: policyName }));
    return parsePolicy(text);
  } catch (error) {
    if (isErrorNamed(error, ...NOT_FOUND)) return undefined;
    throw error;
  }
}

export async function putReaderPolicy(
  iam: IAMClient,
  kind: 'user' | 'role',
  name: string,
  policyName: string,
  document: PolicyDocument,
): Promise<void> {
  if (kind === 'role') await putRolePolicy(iam, name, policyName, document);
  else await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument: JSON.stringify(document) }));
}
