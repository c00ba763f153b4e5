import type { BucketLocationConstraint, ObjectOwnership, S3Client, ServerSideEncryptionRule } from '@aws-sdk/client-s3';
import type { DefaultEncryption, LiveBucket, PublicAccessBlock } from '../plan/live.js';
import { remember } from './bucket-holder.js';
import * as ops from './catalogue.js';
import { isErrorNamed } from './errors.js';
import { send } from './send.js';

/** A read that answers "not configured" with an error: that error means undefined, anything else is a failure. */
async function optional<T>(run: () => Promise<T>, ...absentNames: string[]): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (isErrorNamed(error, ...absentNames)) return undefined;
    throw error;
  }
}

/** Everything about our own bucket that the plan compares, read concurrently. */
export async function readBucketSettings(s3: S3Client, bucket: string): Promise<Omit<LiveBucket, 'ownership' | 'region' | 'policy' | 'replication'>> {
  const [versioning, publicAccessBlock, encryption, objectOwnership] = await Promise.all([
    send(s3, ops.s3.GetBucketVersioning, { Bucket: bucket }).then((r) => r.Status),
    optional(
      () => send(s3, ops.s3.GetPublicAccessBlock, { Bucket: bucket }).then((r) => r.PublicAccessBlockConfiguration as PublicAccessBlock | undefined),
      'NoSuchPublicAccessBlockConfiguration',
    ),
    optional(
      () => send(s3, ops.s3.GetBucketEncryption, { Bucket: bucket }).then((r) => toEncryption(r.ServerSideEncryptionConfiguration?.Rules?.[0])),
      'ServerSideEncryptionConfigurationNotFoundError',
    ),
    optional(
      () => send(s3, ops.s3.GetBucketOwnershipControls, { Bucket: bucket }).then((r) => r.OwnershipControls?.Rules?.[0]?.ObjectOwnership),
      'OwnershipControlsNotFoundError',
    ),
  ]);
  return {
    ...(versioning ? { versioning } : {}),
    ...(publicAccessBlock ? { publicAccessBlock } : {}),
    ...(encryption ? { encryption } : {}),
    ...(objectOwnership ? { objectOwnership } : {}),
  };
}

function toEncryption(rule: ServerSideEncryptionRule | undefined): DefaultEncryption | undefined {
  const byDefault = rule?.ApplyServerSideEncryptionByDefault;
  if (!byDefault?.SSEAlgorithm) return undefined;
  return {
    algorithm: byDefault.SSEAlgorithm,
    ...(byDefault.KMSMasterKeyID ? { kmsKeyId: byDefault.KMSMasterKeyID } : {}),
    ...(rule?.BucketKeyEnabled !== undefined ? { bucketKey: rule.BucketKeyEnabled } : {}),
  };
}

export async function createBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  try {
    await send(s3, ops.s3.CreateBucket, {
      Bucket: bucket,
      // us-east-1 is the one region S3 rejects as an explicit constraint.
      // S3 accepts new regions before the SDK's list of constraints names them: the region was validated already.
      ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    });
  } catch (error) {
    // A retried create (network blip after success) finds the bucket already ours: that is the goal reached.
    if (!isErrorNamed(error, 'BucketAlreadyOwnedByYou')) throw error;
  }
  remember(s3, bucket, 'ours');
}

export const putPublicAccessBlock = (s3: S3Client, bucket: string, block: PublicAccessBlock): Promise<unknown> =>
  send(s3, ops.s3.PutPublicAccessBlock, { Bucket: bucket, PublicAccessBlockConfiguration: block });

export const putEncryption = (s3: S3Client, bucket: string, encryption: DefaultEncryption): Promise<unknown> =>
  send(s3, ops.s3.PutBucketEncryption, {
    Bucket: bucket,
    ServerSideEncryptionConfiguration: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: encryption.algorithm,
            ...(encryption.kmsKeyId ? { KMSMasterKeyID: encryption.kmsKeyId } : {}),
          },
          ...(encryption.bucketKey !== undefined ? { BucketKeyEnabled: encryption.bucketKey } : {}),
        },
      ],
    },
  });

export const putOwnership = (s3: S3Client, bucket: string, ownership: ObjectOwnership): Promise<unknown> =>
  send(s3, ops.s3.PutBucketOwnershipControls, { Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } });

export const putVersioning = (s3: S3Client, bucket: string): Promise<unknown> =>
  send(s3, ops.s3.PutBucketVersioning, { Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } });

/** Deletes an empty bucket; one already gone is the goal reached. */
export async function deleteBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await send(s3, ops.s3.DeleteBucket, { Bucket: bucket });
  } catch (error) {
    if (!isErrorNamed(error, 'NoSuchBucket')) throw error;
  }
  remember(s3, bucket, 'absent');
}

export const deletePublicAccessBlock = (s3: S3Client, bucket: string): Promise<unknown> => send(s3, ops.s3.DeletePublicAccessBlock, { Bucket: bucket });

export const deleteEncryption = (s3: S3Client, bucket: string): Promise<unknown> => send(s3, ops.s3.DeleteBucketEncryption, { Bucket: bucket });

export const deleteOwnership = (s3: S3Client, bucket: string): Promise<unknown> => send(s3, ops.s3.DeleteBucketOwnershipControls, { Bucket: bucket });

/** Versioning can never be turned off once on, only suspended: what undoing it means to S3. */
export const suspendVersioning = (s3: S3Client, bucket: string): Promise<unknown> =>
  send(s3, ops.s3.PutBucketVersioning, { Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } });

/** Every object version and delete marker, counted up to `limit`: what a bucket must not hold to be deleted. */
export async function countVersions(s3: S3Client, bucket: string, limit = 1000): Promise<{ count: number; atLeast: boolean }> {
  const page = await send(s3, ops.s3.ListObjectVersions, { Bucket: bucket, MaxKeys: limit });
  const count = (page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0);
  return { count, atLeast: page.IsTruncated === true };
}

/** Deletes every object version and delete marker, 1,000 a call (DeleteObjects' limit), reporting the running total. */
export async function emptyBucket(s3: S3Client, bucket: string, progress: (deleted: number) => void): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await send(s3, ops.s3.ListObjectVersions, { Bucket: bucket, MaxKeys: 1000 });
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) =>
      v.Key ? [{ Key: v.Key, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }] : [],
    );
    if (objects.length === 0) return deleted;
    const result = await send(s3, ops.s3.DeleteObjects, { Bucket: bucket, Delete: { Objects: objects, Quiet: true } });
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0]!;
      throw Object.assign(new Error(`S3 refused to delete ${failed.length} object version(s) of ${bucket}: ${first.Code} ${first.Message ?? ''}`.trim()), {
        name: first.Code ?? 'DeleteObjectsFailed',
      });
    }
    deleted += objects.length;
    progress(deleted);
  }
}
