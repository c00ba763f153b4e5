// The canary's poll loop, latency, FAILED translation, timeout and clean-up, with fault-injected S3 clients
// (aws-sdk-client-mock) and an injected clock: moto never replicates, and no test really waits.
import {
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetObjectAclCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { type CanaryTarget, failedReplicationCause, runCanary } from '../src/verify/canary.js';
import type { Check, Clock } from '../src/verify/types.js';

const sourceS3 = new S3Client({ region: 'ap-southeast-1' });
const destinationS3 = new S3Client({ region: 'ap-southeast-2' });
const source = mockClient(sourceS3);
const destination = mockClient(destinationS3);

const sdkError = (name: string, status: number): Error => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
const notFound = (): Error => sdkError('NotFound', 404);

/** A clock that only moves when the canary sleeps. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

function target(overrides: Partial<CanaryTarget> = {}): CanaryTarget & { clock: ReturnType<typeof fakeClock> } {
  const clock = fakeClock();
  return {
    source: { s3: sourceS3, bucket: 'rubes-s3-bucket', profile: 'xyz' },
    destination: { s3: destinationS3, bucket: 'clint-s3-bucket', profile: 'abcd' },
    prefix: 'reports/',
    isAws: true,
    timeoutSeconds: 900,
    pollIntervalMs: 5_000,
    likelyCause: () => ({ cause: 'no idea', fix: 'look around' }),
    ...overrides,
    clock: (overrides.clock as ReturnType<typeof fakeClock> | undefined) ?? clock,
  };
}

const OWNER = { ID: 'company-canonical-id', DisplayName: 'abcd' };

beforeEach(() => {
  source.reset();
  destination.reset();
  source.on(PutObjectCommand).resolves({ VersionId: 'v1' });
  // Clean-up lists the canary's versions by its key (given as the prefix) and deletes each.
  for (const side of [source, destination]) {
    side.on(ListObjectVersionsCommand).callsFake((input: { Prefix: string }) => ({ Versions: [{ Key: input.Prefix, VersionId: 'v1' }] }));
    side.on(DeleteObjectCommand).resolves({});
  }
  destination.on(GetBucketAclCommand).resolves({ Owner: OWNER });
  destination.on(GetObjectAclCommand).resolves({ Owner: OWNER });
});

const canaryKey = (): string => source.commandCalls(PutObjectCommand)[0]!.args[0].input.Key!;

describe('the canary on AWS', () => {
  it('polls until the replica appears, reports the latency, checks owner and encryption, and deletes both copies', async () => {
    const t = target();
    source
      .on(HeadObjectCommand)
      .resolvesOnce({ ReplicationStatus: 'PENDING' })
      .resolvesOnce({ ReplicationStatus: 'PENDING' })
      .resolves({ ReplicationStatus: 'COMPLETED' });
    destination
      .on(HeadObjectCommand)
      .rejectsOnce(notFound())
      .rejectsOnce(notFound())
      .resolves({ ReplicationStatus: 'REPLICA', ServerSideEncryption: 'AES256', VersionId: 'v1' });

    const checks = await runCanary(t);

    expect(checks).toEqual([
      {
        id: 'canary',
        status: 'pass',
        message: 'replicated in 10 s (replica status REPLICA), encrypted SSE-S3 (AES256), owned by the destination account; canary deleted from both buckets',
      },
    ]);
    expect(t.clock.sleeps).toEqual([5_000, 5_000]);
    expect(canaryKey()).toMatch(/^reports\/replicate-setup-canary-2026-01-01T00-00-00-000Z-[0-9a-f]{8}\.txt$/);
    // Each poll asks for the version that was put, on both sides.
    expect(source.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)).toEqual(
      Array(3).fill({ Bucket: 'rubes-s3-bucket', Key: canaryKey(), VersionId: 'v1' }),
    );
    for (const side of [source, destination]) {
      expect(side.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([{ Bucket: expect.any(String), Key: canaryKey(), VersionId: 'v1' }]);
    }
  });

  it('translates FAILED into the likely cause found by the other checks', async () => {
    const checks: Check[] = [
      { id: 'role.permissions', status: 'pass', message: 'fine' },
      {
        id: 'destination.policy',
        status: 'fail',
        message: 'clint-s3-bucket has no bucket policy, so s3_replication_role cannot replicate into it',
        remedy: 'Run `replicate-setup wizard` with the same flags',
      },
    ];
    const t = target({ likelyCause: () => failedReplicationCause(checks, false) });
    source.on(HeadObjectCommand).resolvesOnce({ ReplicationStatus: 'PENDING' }).resolves({ ReplicationStatus: 'FAILED' });
    destination.on(HeadObjectCommand).rejects(notFound());

    const [canary] = await runCanary(t);

    expect(canary).toEqual({
      id: 'canary',
      status: 'fail',
      message:
        'S3 reports replication of the canary FAILED after 5 s: likely cause: clint-s3-bucket has no bucket policy, so s3_replication_role cannot replicate into it; canary deleted from both buckets',
      remedy: 'Run `replicate-setup wizard` with the same flags',
    });
  });

  it('names the usual causes of FAILED when no other check explains it, KMS included for sse-kms', () => {
    const { cause, fix } = failedReplicationCause([{ id: 'destination.policy', status: 'pass', message: 'ok' }], true);
    expect(cause).toContain('s3:ObjectOwnerOverrideToBucketOwner');
    expect(cause).toContain('kms:Decrypt');
    expect(cause).toContain('Object Ownership');
    expect(fix).toContain('OperationFailedReplication');
    expect(failedReplicationCause([], false).cause).not.toContain('kms');
  });

  it('gives up at the timeout, never sleeping past it', async () => {
    const t = target({ timeoutSeconds: 12 });
    source.on(HeadObjectCommand).resolves({ ReplicationStatus: 'PENDING' });
    destination.on(HeadObjectCommand).rejects(notFound());

    const [canary] = await runCanary(t);

    expect(t.clock.sleeps).toEqual([5_000, 5_000, 2_000]);
    expect(canary).toMatchObject({ id: 'canary', status: 'fail', message: expect.stringContaining('not replicated within 12 s (status PENDING)') });
    expect(canary!.remedy).toContain('--canary-timeout');
    expect(source.commandCalls(DeleteObjectCommand)).toHaveLength(1);
  });

  it('fails when S3 does not mark the canary for replication at all', async () => {
    const t = target();
    source.on(HeadObjectCommand).resolves({});
    destination.on(HeadObjectCommand).rejects(notFound());
    const [canary] = await runCanary(t);
    expect(canary).toMatchObject({ status: 'fail', message: expect.stringContaining('no enabled rule matches it') });
    expect(t.clock.sleeps).toEqual([]);
  });

  it('fails a replica owned by the source account or encrypted with another key', async () => {
    const t = target({ replicaKmsKey: 'arn:aws:kms:ap-southeast-2:222222222222:key/dest-key' });
    source.on(HeadObjectCommand).resolves({ ReplicationStatus: 'COMPLETED' });
    destination.on(HeadObjectCommand).resolves({ ReplicationStatus: 'REPLICA', ServerSideEncryption: 'AES256' });
    destination.on(GetObjectAclCommand).resolves({ Owner: { ID: 'partner-canonical-id', DisplayName: 'xyz' } });

    const [canary] = await runCanary(t);

    expect(canary!.status).toBe('fail');
    expect(canary!.message).toContain('replicated in 0 s, but the replica is encrypted with AES256, not arn:aws:kms:ap-southeast-2:222222222222:key/dest-key');
    expect(canary!.message).toContain('owned by xyz, not the destination account');
    expect(canary!.remedy).toContain('s3:ObjectOwnerOverrideToBucketOwner');
  });

  it('passes a replica encrypted with the destination key', async () => {
    const t = target({ replicaKmsKey: 'arn:aws:kms:ap-southeast-2:222222222222:key/dest-key' });
    source.on(HeadObjectCommand).resolves({ ReplicationStatus: 'COMPLETED' });
    destination.on(HeadObjectCommand).resolves({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:aws:kms:ap-southeast-2:222222222222:key/dest-key' });
    const [canary] = await runCanary(t);
    expect(canary).toMatchObject({
      status: 'pass',
      message: expect.stringContaining('encrypted SSE-KMS with arn:aws:kms:ap-southeast-2:222222222222:key/dest-key'),
    });
  });

  it('reports what it could not clean up, with the command to do it by hand', async () => {
    const t = target();
    source.on(HeadObjectCommand).resolves({ ReplicationStatus: 'COMPLETED' });
    destination.on(HeadObjectCommand).resolves({ ServerSideEncryption: 'AES256' });
    destination.on(DeleteObjectCommand).rejects(sdkError('AccessDenied', 403));

    const checks = await runCanary(t);

    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['canary', 'pass'],
      ['canary.cleanup', 'warn'],
    ]);
    expect(checks[1]!.message).toContain(`s3://clint-s3-bucket/${canaryKey()}`);
    expect(checks[1]!.remedy).toContain(`aws s3api delete-object --bucket clint-s3-bucket --key ${canaryKey()}`);
  });

  it('fails with the missing permission when the canary cannot be put', async () => {
    source.on(PutObjectCommand).rejects(sdkError('AccessDenied', 403));
    const [canary] = await runCanary(target());
    expect(canary).toMatchObject({ id: 'canary', status: 'fail' });
    expect(canary!.remedy).toContain('s3:PutObject');
    expect(canary!.remedy).toContain('profile "xyz"');
    expect(source.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });
});

describe('the canary on an endpoint that does not replicate', () => {
  it('says plainly that replication could not be proven, without waiting', async () => {
    const t = target({ isAws: false });
    source.on(HeadObjectCommand).resolves({});
    destination.on(HeadObjectCommand).rejects(notFound());
    const [canary] = await runCanary(t);
    expect(canary).toMatchObject({ status: 'warn', message: expect.stringContaining('replication could not be proven here') });
    expect(canary!.remedy).toContain('against AWS');
    expect(t.clock.sleeps).toEqual([]);
  });

  it('still passes when such an endpoint does copy the object', async () => {
    const t = target({ isAws: false });
    source.on(HeadObjectCommand).resolves({});
    destination.on(HeadObjectCommand).resolves({ ServerSideEncryption: 'AES256' });
    const [canary] = await runCanary(t);
    expect(canary!.status).toBe('pass');
  });
});

describe('the canary under a fenced uploader prefix', () => {
  it('explains a refused put instead of asking for s3:PutObject', async () => {
    source.on(PutObjectCommand).rejects(sdkError('AccessDenied', 403));
    const [canary] = await runCanary(target({ putRefusedBecause: 'the source bucket policy lets only alice write there (--uploader)' }));
    expect(canary).toMatchObject({
      id: 'canary',
      status: 'warn',
      message: 'could not put the canary under reports/: the source bucket policy lets only alice write there (--uploader)',
    });
    expect(canary!.remedy).toContain('as that uploader');
  });
});
