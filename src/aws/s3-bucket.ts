import type { BucketLocationConstraint, ObjectOwnership, S3Client, ServerSideEncryptionRule } from '@aws-sdk/client-s3';
import type { DefaultEncryption, LiveBucket, PublicAccessBlock } from '../plan/live.js';
import * as ops from './catalogue.js';
import { httpStatus, isErrorNamed } from './errors.js';
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

// What this process last saw of a bucket name through a client: ours (read or created) or free. A later read of the
// same run (under the lock, the closing verify) then asks HeadBucket alone to confirm it, and asks for an owned
// bucket's details at once instead of after the check. Only a hint: an answer that does not confirm it (a free name
// now taken, our bucket now refused) gets the full check, and a details read it contradicts is dropped.
const knownHolders = new WeakMap<S3Client, Map<string, 'ours' | 'absent'>>();
const remember = (s3: S3Client, bucket: string, ownership: LiveBucket['ownership']): void => {
  if (!knownHolders.has(s3)) knownHolders.set(s3, new Map());
  const known = knownHolders.get(s3)!;
  if (ownership === 'foreign') known.delete(bucket);
  else known.set(bucket, ownership);
};
export const likelyOwned = (s3: S3Client, bucket: string): boolean => knownHolders.get(s3)?.get(bucket) === 'ours';

/**
 * Who holds a bucket name. ListBuckets is the account's own truth (HeadBucket answers 200 for a bucket another
 * account merely lets us read); HeadBucket then tells a free name (404) from one somebody else holds. A bucket being
 * created at this moment (two runs at once) may answer HeadBucket before ListBuckets shows it: its ACL owner, compared
 * with the owner ListBuckets names, tells our own bucket from another account's.
 */
export async function bucketOwnership(s3: S3Client, bucket: string): Promise<Pick<LiveBucket, 'ownership' | 'region'>> {
  const holder = await holderOf(s3, bucket);
  remember(s3, bucket, holder.ownership);
  return holder;
}

async function holderOf(s3: S3Client, bucket: string): Promise<Pick<LiveBucket, 'ownership' | 'region'>> {
  const known = knownHolders.get(s3)?.get(bucket);
  if (known) {
    const head = await headOf(s3, bucket);
    if (head.status === 404) return { ownership: 'absent' };
    if (known === 'ours' && head.status === 200) return ours(s3, bucket, head);
    return fullCheck(s3, bucket, Promise.resolve(head));
  }
  // Both at once, one round trip: the listing says whether the bucket is ours, HeadBucket whether it exists at all and
  // (when it answers 200) its region, so an owned bucket in the client's region needs no GetBucketLocation.
  return fullCheck(s3, bucket, headOf(s3, bucket));
}

async function fullCheck(s3: S3Client, bucket: string, heading: Promise<Head>): Promise<Pick<LiveBucket, 'ownership' | 'region'>> {
  const [listed, head] = await Promise.all([send(s3, ops.s3.ListBuckets, { Prefix: bucket, MaxBuckets: 1000 }), heading]);
  if ((listed.Buckets ?? []).some((b) => b.Name === bucket)) return ours(s3, bucket, head);
  if (head.status === 404) return { ownership: 'absent' };
  if (head.status === 403 || head.status === 301) return { ownership: 'foreign' };
  const owner = await aclOwner(s3, bucket);
  if (owner !== undefined && owner === listed.Owner?.ID) return ours(s3, bucket, head);
  return { ownership: 'foreign' };
}

/** Our bucket, where HeadBucket said it is (GetBucketLocation only when it did not say). */
const ours = async (s3: S3Client, bucket: string, head: Head): Promise<Pick<LiveBucket, 'ownership' | 'region'>> => ({
  ownership: 'ours',
  region: head.region ?? (await regionOf(s3, bucket)),
});

type Head = { status: 200 | 301 | 403 | 404; region?: string };

/** HeadBucket's answer: 200 with the bucket's region, or the status that says why not (404 none, 403/301 not ours to read). */
async function headOf(s3: S3Client, bucket: string): Promise<Head> {
  try {
    const { BucketRegion } = await send(s3, ops.s3.HeadBucket, { Bucket: bucket });
    return { status: 200, ...(BucketRegion ? { region: BucketRegion } : {}) };
  } catch (error) {
    if (httpStatus(error) === 404 || isErrorNamed(error, 'NotFound', 'NoSuchBucket')) return { status: 404 };
    if (httpStatus(error) === 403) return { status: 403 };
    if (httpStatus(error) === 301) return { status: 301 };
    throw error;
  }
}

async function regionOf(s3: S3Client, bucket: string): Promise<string> {
  const location = await send(s3, ops.s3.GetBucketLocation, { Bucket: bucket });
  // us-east-1 answers with an empty constraint, and very old buckets say EU for eu-west-1.
  const constraint = location.LocationConstraint as string | undefined;
  return !constraint ? 'us-east-1' : constraint === 'EU' ? 'eu-west-1' : constraint;
}

/** The canonical id owning the bucket; undefined when we may not read its ACL (then it is not ours to claim). */
async function aclOwner(s3: S3Client, bucket: string): Promise<string | undefined> {
  try {
    return (await send(s3, ops.s3.GetBucketAcl, { Bucket: bucket })).Owner?.ID;
  } catch (error) {
    if (httpStatus(error) === 403 || httpStatus(error) === 404 || httpStatus(error) === 301) return undefined;
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
