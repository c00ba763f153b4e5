// Who holds a bucket name (ours, another account's, nobody's), as the preflight and every later read ask it.
import type { S3Client } from '@aws-sdk/client-s3';
import type { LiveBucket } from '../plan/live.js';
import * as ops from './catalogue.js';
import { httpStatus, isErrorNamed } from './errors.js';
import { send } from './send.js';

// What this process last saw of a bucket name through a client: ours (read or created) or free. A later read of the
// same run (under the lock, the closing verify) then asks HeadBucket alone to confirm it, and asks for an owned
// bucket's details at once instead of after the check. Only a hint: an answer that does not confirm it (a free name
// now taken, our bucket now refused) gets the full check, and a details read it contradicts is dropped.
const knownHolders = new WeakMap<S3Client, Map<string, 'ours' | 'absent'>>();
export const remember = (s3: S3Client, bucket: string, ownership: LiveBucket['ownership']): void => {
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
  const [listed, head] = await Promise.all([listingFor(s3, bucket), heading]);
  if (listed.names.has(bucket)) return ours(s3, bucket, head);
  if (head.status === 404) return { ownership: 'absent' };
  if (head.status === 403 || head.status === 301) return { ownership: 'foreign' };
  const owner = await aclOwner(s3, bucket);
  if (owner !== undefined && owner === listed.ownerId) return ours(s3, bucket, head);
  return { ownership: 'foreign' };
}

/** The account's buckets among a listing's prefix, and the account's canonical id. */
interface Listing {
  names: Set<string>;
  ownerId?: string;
}

// The checks made through one client in the same turn of the event loop share one listing (a fleet's setups start
// their preflights together, and a same-account pair checks both its buckets at once): ListBuckets under the names'
// longest common prefix, every page. One name alone is listed under its own name, as small an answer as there is. A
// listing is never kept past its batch: a later check (a hint contradicted) wants the account as it is then.
const batches = new WeakMap<S3Client, { names: string[]; listing: Promise<Listing> }>();

function listingFor(s3: S3Client, bucket: string): Promise<Listing> {
  let batch = batches.get(s3);
  if (!batch) {
    const names: string[] = [];
    const listing = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      batches.delete(s3);
      return listBuckets(s3, commonPrefix(names));
    });
    batch = { names, listing };
    batches.set(s3, batch);
  }
  batch.names.push(bucket);
  return batch.listing;
}

const commonPrefix = (names: readonly string[]): string =>
  names.reduce((prefix, name) => {
    let length = 0;
    while (length < prefix.length && prefix[length] === name[length]) length++;
    return prefix.slice(0, length);
  });

async function listBuckets(s3: S3Client, prefix: string): Promise<Listing> {
  const names = new Set<string>();
  let ownerId: string | undefined;
  let token: string | undefined;
  do {
    const page = await send(s3, ops.s3.ListBuckets, {
      MaxBuckets: 1000,
      ...(prefix ? { Prefix: prefix } : {}),
      ...(token ? { ContinuationToken: token } : {}),
    });
    for (const { Name } of page.Buckets ?? []) if (Name) names.add(Name);
    ownerId ??= page.Owner?.ID;
    token = page.ContinuationToken;
  } while (token);
  return { names, ...(ownerId ? { ownerId } : {}) };
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
