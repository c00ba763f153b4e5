import { randomBytes } from 'node:crypto';
import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import * as ops from '../aws/catalogue.js';
import { httpStatus, isErrorNamed, translateAwsError } from '../aws/errors.js';
import { send } from '../aws/send.js';
import { credentialsPhrase, profileArgument } from '../input/credentials.js';
import { type Check, type Clock, fail, pass, warn } from './types.js';

export interface CanaryBucket {
  s3: S3Client;
  bucket: string;
  /** The named profile, or undefined for the default chain. */
  profile: string | undefined;
}

export interface CanaryTarget {
  source: CanaryBucket;
  destination: CanaryBucket;
  /** The replicated prefix the canary goes under. */
  prefix: string;
  /** Whether the endpoint is AWS: elsewhere a missing ReplicationStatus means the endpoint does not replicate. */
  isAws: boolean;
  /** The KMS key replicas must be encrypted with (SSE-KMS setups). */
  replicaKmsKey?: string;
  timeoutSeconds: number;
  pollIntervalMs: number;
  clock: Clock;
  /** Why a refused put is expected (the prefix is fenced for its uploader), to say instead of "add s3:PutObject". */
  putRefusedBecause?: string;
  /** What most likely made S3 report FAILED, from the other checks' verdicts. */
  likelyCause(): { cause: string; fix: string };
}

/** 5 s between polls: RTC promises 15 minutes, most objects arrive within seconds. */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;

type Replica = { found: HeadObjectCommandOutput } | { absent: true } | { error: string };

/**
 * Proves replication end to end: puts a small uniquely named object under the replicated prefix, polls its
 * ReplicationStatus and the destination until the replica appears (or the timeout passes), checks the replica's
 * owner and encryption, then deletes every version of it on both sides.
 */
export async function runCanary(target: CanaryTarget): Promise<Check[]> {
  const { source, clock } = target;
  const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
  const key = `${target.prefix}replicate-setup-canary-${stamp}-${randomBytes(4).toString('hex')}.txt`;
  let versionId: string | undefined;
  try {
    const put = await send(source.s3, ops.s3.PutObject, {
      Bucket: source.bucket,
      Key: key,
      Body: `replicate-setup canary ${stamp}\n`,
      ContentType: 'text/plain',
    });
    versionId = put.VersionId;
  } catch (error) {
    const e = translateAwsError(error, {
      doing: `putting the canary s3://${source.bucket}/${key}`,
      profile: source.profile,
      resource: `arn:aws:s3:::${source.bucket}/${key}`,
    });
    if (e.code === 'ACCESS_DENIED' && target.putRefusedBecause) {
      return [
        warn(
          'canary',
          `could not put the canary under ${target.prefix}: ${target.putRefusedBecause}`,
          "Upload an object there as that uploader and watch it arrive in the destination, or run verify --canary with the uploader's profile as --source-profile.",
        ),
      ];
    }
    return [fail('canary', `could not put the canary: ${e.message}`, e.remedy ?? '')];
  }
  const check = await watch(target, key, versionId);
  const leftovers = await cleanUp(target, key);
  return leftovers.length === 0
    ? [{ ...check, message: `${check.message}; canary deleted from both buckets` }]
    : [
        check,
        warn(
          'canary.cleanup',
          `could not delete the canary everywhere: ${leftovers.map((l) => l.what).join('; ')}`,
          `Delete it by hand: ${leftovers.map((l) => l.command).join(' && ')}`,
        ),
      ];
}

async function watch(target: CanaryTarget, key: string, versionId: string | undefined): Promise<Check> {
  const { source, destination, clock } = target;
  const started = clock.now();
  const timeoutMs = target.timeoutSeconds * 1000;
  const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;
  for (;;) {
    let status: string | undefined;
    try {
      status = (await send(source.s3, ops.s3.HeadObject, { Bucket: source.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }))
        .ReplicationStatus;
    } catch (error) {
      const e = translateAwsError(error, { doing: `reading the canary's replication status`, profile: source.profile });
      return fail('canary', `could not read the canary's replication status: ${e.message}`, e.remedy ?? '');
    }
    const replica = await headReplica(destination, key, versionId);
    const elapsed = clock.now() - started;
    if ('found' in replica) return replicaCheck(target, key, replica.found, elapsed);
    if (status === 'FAILED') {
      const { cause, fix } = target.likelyCause();
      return fail('canary', `S3 reports replication of the canary FAILED after ${seconds(elapsed)}: likely cause: ${cause}`, fix);
    }
    if (status === undefined && !target.isAws) {
      return warn(
        'canary',
        `this endpoint did not replicate the canary (no ReplicationStatus, no replica in ${destination.bucket}): replication could not be proven here`,
        'Run `replicate-setup verify --canary` against AWS (without --endpoint-url) to prove replication.',
      );
    }
    if (status === undefined) {
      return fail(
        'canary',
        `S3 did not mark the canary s3://${source.bucket}/${key} for replication: no enabled rule matches it`,
        'Check replication.rule and replication.selection above; `replicate-setup wizard` with the same flags rewrites the rule.',
      );
    }
    if (status === 'COMPLETED' && 'error' in replica) {
      return warn(
        'canary',
        `S3 reports the canary replicated (COMPLETED after ${seconds(elapsed)}), but ${credentialsPhrase(destination.profile)} cannot read the replica: ${replica.error}`,
        `Give ${credentialsPhrase(destination.profile)} s3:GetObject on ${destination.bucket} to check the replica.`,
      );
    }
    if (elapsed >= timeoutMs) {
      return fail(
        'canary',
        `the canary was not replicated within ${seconds(timeoutMs)} (status ${status}); if it arrives later, delete s3://${destination.bucket}/${key} by hand`,
        'Replication with RTC completes within 15 minutes: run again with a longer --canary-timeout, or check the replication metrics (OperationsPendingReplication) in CloudWatch.',
      );
    }
    await clock.sleep(Math.min(target.pollIntervalMs, timeoutMs - elapsed));
  }
}

async function headReplica(destination: CanaryBucket, key: string, versionId: string | undefined): Promise<Replica> {
  try {
    return { found: await send(destination.s3, ops.s3.HeadObject, { Bucket: destination.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }) };
  } catch (error) {
    if (httpStatus(error) === 404 || isErrorNamed(error, 'NotFound', 'NoSuchKey', 'NoSuchVersion')) return { absent: true };
    return { error: (error as Error).message || String(httpStatus(error) ?? error) };
  }
}

/** The replica must belong to the destination account and be encrypted as intended. */
async function replicaCheck(target: CanaryTarget, key: string, replica: HeadObjectCommandOutput, elapsedMs: number): Promise<Check> {
  const { destination } = target;
  const latency = `replicated in ${Math.round(elapsedMs / 1000)} s`;
  const problems: string[] = [];
  const facts: string[] = [];
  const algorithm = replica.ServerSideEncryption;
  if (target.replicaKmsKey) {
    const keyId = target.replicaKmsKey.split('/').pop()!;
    if (algorithm !== 'aws:kms' || !replica.SSEKMSKeyId?.endsWith(keyId))
      problems.push(
        `the replica is encrypted with ${algorithm ?? 'nothing'}${replica.SSEKMSKeyId ? ` (${replica.SSEKMSKeyId})` : ''}, not ${target.replicaKmsKey}`,
      );
    else facts.push(`encrypted SSE-KMS with ${replica.SSEKMSKeyId}`);
  } else if (algorithm) facts.push(`encrypted ${algorithm === 'AES256' ? 'SSE-S3 (AES256)' : algorithm}`);
  else problems.push('the replica is not encrypted at rest');
  try {
    const [bucketAcl, objectAcl] = await Promise.all([
      send(destination.s3, ops.s3.GetBucketAcl, { Bucket: destination.bucket }),
      send(destination.s3, ops.s3.GetObjectAcl, { Bucket: destination.bucket, Key: key, ...(replica.VersionId ? { VersionId: replica.VersionId } : {}) }),
    ]);
    if (bucketAcl.Owner?.ID && objectAcl.Owner?.ID === bucketAcl.Owner.ID) facts.push('owned by the destination account');
    else
      problems.push(
        `the replica is owned by ${objectAcl.Owner?.DisplayName ?? objectAcl.Owner?.ID ?? 'an unknown owner'}, not the destination account: the owner override is not in effect`,
      );
  } catch (error) {
    facts.push(`owner not checked (${(error as Error).message})`);
  }
  if (problems.length > 0) {
    return fail(
      'canary',
      `${latency}, but ${problems.join('; ')}`,
      'Check replication.rule (owner override, replica KMS key) and destination.policy (s3:ObjectOwnerOverrideToBucketOwner); `replicate-setup wizard` with the same flags restores both.',
    );
  }
  return pass('canary', `${latency}${replica.ReplicationStatus ? ` (replica status ${replica.ReplicationStatus})` : ''}, ${facts.join(', ')}`);
}

/** Deletes every version and delete marker of the canary on both sides; returns what could not be deleted. */
async function cleanUp(target: CanaryTarget, key: string): Promise<{ what: string; command: string }[]> {
  const sides = [target.source, target.destination];
  const results = await Promise.all(
    sides.map(async (side) => {
      try {
        const { Versions = [], DeleteMarkers = [] } = await send(side.s3, ops.s3.ListObjectVersions, { Bucket: side.bucket, Prefix: key });
        const versions = [...Versions, ...DeleteMarkers].filter((v) => v.Key === key);
        await Promise.all(
          versions.map((v) => send(side.s3, ops.s3.DeleteObject, { Bucket: side.bucket, Key: key, ...(v.VersionId ? { VersionId: v.VersionId } : {}) })),
        );
        return [];
      } catch (error) {
        return [
          {
            what: `s3://${side.bucket}/${key}: ${(error as Error).message}`,
            command: `aws s3api delete-object --bucket ${side.bucket} --key ${key} --version-id VERSION${profileArgument(side.profile)} (for each version listed by list-object-versions)`,
          },
        ];
      }
    }),
  );
  return results.flat();
}

/** The other checks' verdicts that explain a FAILED replication, most specific first; else the usual suspects. */
export function failedReplicationCause(checks: Check[], kms: boolean): { cause: string; fix: string } {
  const failing = (id: string): Check | undefined => checks.find((c) => c.id === id && c.status !== 'pass' && c.status !== 'skip');
  for (const id of ['destination.policy', 'role.permissions', 'replication.rule', 'destination.object-ownership', 'destination.versioning']) {
    const check = failing(id);
    if (check) return { cause: check.message, fix: check.remedy ?? 'Run `replicate-setup wizard` with the same flags.' };
  }
  const causes = [
    'the destination bucket policy not letting the role s3:ReplicateObject and s3:ObjectOwnerOverrideToBucketOwner',
    ...(kms ? ['the role lacking kms:Decrypt on the source key or kms:Encrypt on the destination key, or the destination key policy not letting it'] : []),
    'Object Ownership or the owner override not matching (the destination must own replicas)',
  ];
  return {
    cause: `S3 does not say; the usual causes are ${causes.join('; ')}`,
    fix: 'Run `replicate-setup wizard` with the same flags, then verify --canary again; S3 Event Notifications for s3:Replication:OperationFailedReplication name the exact reason.',
  };
}
