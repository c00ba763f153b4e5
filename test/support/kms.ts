// Shared by the SSE-KMS scenario tests (test/scenarios-kms*.test.ts).
import { GetKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { parsePolicy } from '../../src/plan/compare.js';
import type { PolicyDocument } from '../../src/plan/policy-types.js';
import { uniqueBucketName } from './emulator.js';

export const ROLE_ARN = 'arn:aws:iam::111111111111:role/s3_replication_role';
export const TOM = 'arn:aws:iam::222222222222:user/tom-cruise';

export const buckets = () => ({ source: uniqueBucketName('rubes'), destination: uniqueBucketName('clint') });

export async function keyPolicy(kms: KMSClient, keyId: string): Promise<PolicyDocument> {
  return parsePolicy((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy)!;
}

export const ROOT_STATEMENT = (account: string) => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});
