import type { S3Client } from '@aws-sdk/client-s3';
import { parsePolicy } from '../plan/compare.js';
import type { PolicyDocument } from '../plan/policy-types.js';
import * as ops from './catalogue.js';
import { isErrorNamed } from './errors.js';
import { send } from './send.js';

export async function readBucketPolicy(s3: S3Client, bucket: string): Promise<PolicyDocument | undefined> {
  try {
    const { Policy } = await send(s3, ops.s3.GetBucketPolicy, { Bucket: bucket });
    return parsePolicy(Policy);
  } catch (error) {
    if (isErrorNamed(error, 'NoSuchBucketPolicy')) return undefined;
    throw error;
  }
}

/** Writes the merged policy; an undefined document means no statement is left, so the policy is removed. */
export async function writeBucketPolicy(s3: S3Client, bucket: string, document: PolicyDocument | undefined): Promise<void> {
  if (document === undefined) await send(s3, ops.s3.DeleteBucketPolicy, { Bucket: bucket });
  else await send(s3, ops.s3.PutBucketPolicy, { Bucket: bucket, Policy: JSON.stringify(document) });
}
