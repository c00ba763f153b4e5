import type { S3Client } from '@aws-sdk/client-s3';
import type { ReplicationConfiguration } from '../plan/merge.js';
import * as ops from './catalogue.js';
import { isErrorNamed } from './errors.js';
import { send } from './send.js';

export async function readReplication(s3: S3Client, bucket: string): Promise<ReplicationConfiguration | undefined> {
  try {
    const { ReplicationConfiguration: config } = await send(s3, ops.s3.GetBucketReplication, { Bucket: bucket });
    if (!config?.Role) return undefined;
    return { Role: config.Role, Rules: config.Rules ?? [] };
  } catch (error) {
    if (isErrorNamed(error, 'ReplicationConfigurationNotFoundError')) return undefined;
    throw error;
  }
}

export const writeReplication = (s3: S3Client, bucket: string, configuration: ReplicationConfiguration): Promise<unknown> =>
  send(s3, ops.s3.PutBucketReplication, {
    Bucket: bucket,
    ReplicationConfiguration: configuration,
  });

export const deleteReplication = (s3: S3Client, bucket: string): Promise<unknown> => send(s3, ops.s3.DeleteBucketReplication, { Bucket: bucket });
