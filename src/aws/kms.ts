import type { KMSClient } from '@aws-sdk/client-kms';
import { parsePolicy } from '../plan/compare.js';
import { KEY_DELETION_WINDOW_DAYS } from '../plan/key-policies.js';
import type { PolicyDocument } from '../plan/policy-types.js';
import * as ops from './catalogue.js';
import { isErrorNamed } from './errors.js';
import { send } from './send.js';

/** What the plan needs to know about a key: where it lives, who manages it, whether S3 can use it. */
export interface KmsKeyFacts {
  arn: string;
  keyId: string;
  accountId: string;
  region: string;
  /** AWS-managed keys (aws/s3) cannot have their policy changed, nor be used by another account. */
  awsManaged: boolean;
  state: string;
  /** S3 only encrypts with symmetric ENCRYPT_DECRYPT keys. */
  symmetric: boolean;
}

/** AWS-managed keys are named alias/aws/SERVICE; some emulators report them as customer-managed, the name does not lie. */
const AWS_ALIAS = /(^|:)alias\/aws\//;

/** A key by ARN, id or alias (DescribeKey resolves all three); undefined when there is no such key. */
export async function describeKey(kms: KMSClient, ref: string): Promise<KmsKeyFacts | undefined> {
  try {
    const { KeyMetadata: meta } = await send(kms, ops.kms.DescribeKey, { KeyId: ref });
    if (!meta?.Arn || !meta.KeyId) return undefined;
    const [, , , region = '', accountId = ''] = meta.Arn.split(':');
    const spec = meta.KeySpec ?? meta.CustomerMasterKeySpec;
    return {
      arn: meta.Arn,
      keyId: meta.KeyId,
      accountId,
      region,
      awsManaged: meta.KeyManager === 'AWS' || AWS_ALIAS.test(ref),
      state: meta.KeyState ?? (meta.Enabled === false ? 'Disabled' : 'Enabled'),
      symmetric: (spec === undefined || spec === 'SYMMETRIC_DEFAULT') && (meta.KeyUsage === undefined || meta.KeyUsage === 'ENCRYPT_DECRYPT'),
    };
  } catch (error) {
    if (isErrorNamed(error, 'NotFoundException')) return undefined;
    throw error;
  }
}

/** The key policy (every key has exactly one, named "default"). GetKeyPolicy takes a key id or ARN, never an alias. */
export async function readKeyPolicy(kms: KMSClient, keyId: string): Promise<PolicyDocument | undefined> {
  const { Policy } = await send(kms, ops.kms.GetKeyPolicy, { KeyId: keyId, PolicyName: 'default' });
  return parsePolicy(Policy);
}

/**
 * Creates a symmetric key with the given policy (KMS's default without one) and names it with the alias. A retry after a lost response finds the
 * alias already there and creates nothing, so a re-run never leaves a second key behind.
 */
export async function createKeyWithAlias(kms: KMSClient, alias: string, description: string, policy?: PolicyDocument): Promise<string> {
  const existing = await describeKey(kms, alias);
  if (existing) return existing.arn;
  const { KeyMetadata: meta } = await send(kms, ops.kms.CreateKey, {
    Description: description,
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyUsage: 'ENCRYPT_DECRYPT',
    ...(policy ? { Policy: JSON.stringify(policy) } : {}),
    Tags: [{ TagKey: 'managed-by', TagValue: 'replicate-setup' }],
  });
  if (!meta?.KeyId || !meta.Arn) throw new Error('KMS CreateKey returned no key');
  try {
    await send(kms, ops.kms.CreateAlias, { AliasName: alias, TargetKeyId: meta.KeyId });
  } catch (error) {
    if (!isErrorNamed(error, 'AlreadyExistsException')) throw error;
  }
  return meta.Arn;
}

export const putKeyPolicy = (kms: KMSClient, keyId: string, document: PolicyDocument): Promise<unknown> =>
  send(kms, ops.kms.PutKeyPolicy, { KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify(document) });

/** Deletes the alias and schedules its key for deletion; an alias already gone is the goal reached. */
export async function scheduleKeyDeletion(kms: KMSClient, alias: string): Promise<void> {
  const existing = await describeKey(kms, alias);
  if (!existing) return;
  // The key is scheduled while its alias still names it: a policy that grants ScheduleKeyDeletion on the keys this
  // alias names (kms:ResourceAliases, as `permissions` prints it for a key it does not know yet) holds only then. A
  // run stopped between the two finds the key by its alias again, already pending, and deletes the alias alone.
  if (existing.state !== 'PendingDeletion') {
    await send(kms, ops.kms.ScheduleKeyDeletion, { KeyId: existing.keyId, PendingWindowInDays: KEY_DELETION_WINDOW_DAYS });
  }
  await send(kms, ops.kms.DeleteAlias, { AliasName: alias });
}
