// What real AWS does that moto hides (issue 10), each with fault-injected clients (aws-sdk-client-mock) that answer as
// AWS does: moto accepts these at once, AWS is eventually consistent.

import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetBucketAclCommand, GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand, PutBucketReplicationCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ignoreEvents } from '../src/engine/events.js';
import { applySetup, prepareSetup } from '../src/engine/setup.js';
import { InputError } from '../src/errors.js';
import { eventLog, failureOf, instantRetry, mockedAws, s3Error, validatedSeed } from './support/mock-clients.js';

describe('fault-injected S3 (as AWS answers): destination versioning not yet visible cross-region', () => {
  it('retries PutBucketReplication through "Destination bucket must have versioning enabled." and completes', async () => {
    const aws = mockedAws();
    const notYet = s3Error('InvalidRequest', 'Destination bucket must have versioning enabled.', 400);
    aws.source.s3.on(PutBucketReplicationCommand).rejectsOnce(notYet).rejectsOnce(notYet).resolves({});
    const log = eventLog();
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const steps = await applySetup(prepared, aws.clients, log.sink, { retry: instantRetry(5) });

    expect(steps.every((s) => s.status === 'done')).toBe(true);
    expect(aws.source.s3.commandCalls(PutBucketReplicationCommand)).toHaveLength(3);
    expect(log.events.filter((e) => e.type === 'step-waiting').map((e) => e.change.id)).toEqual(['replication-configuration', 'replication-configuration']);
  });
});

describe('fault-injected KMS (as AWS answers): a new alias does not resolve at once', () => {
  it('looks the new keys up again until their aliases resolve, then writes the key policies and the rule', async () => {
    const aws = mockedAws(undefined, { kmsAliasLag: 2 });
    const retry = instantRetry(5);
    const prepared = await prepareSetup(validatedSeed({ encryption: 'sse-kms' }), aws.clients, ignoreEvents);

    const steps = await applySetup(prepared, aws.clients, ignoreEvents, { retry });

    expect(steps.filter((s) => s.status !== 'done').map((s) => `${s.id}: ${s.status}`)).toEqual([]);
    const aliasLookups = aws.destination.kms.commandCalls(DescribeKeyCommand).filter((c) => c.args[0].input.KeyId === 'alias/replicate-setup-clint-s3-bucket');
    // Before the key existed, in CreateKey's idempotency check, then twice unresolved, then found.
    expect(aliasLookups.length).toBeGreaterThanOrEqual(4);
    expect(retry.slept.length).toBeGreaterThan(0);
    const rule = aws.source.s3.commandCalls(PutBucketReplicationCommand)[0]!.args[0].input.ReplicationConfiguration!.Rules![0]!;
    expect(rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID).toMatch(/^arn:aws:kms:ap-southeast-2:222222222222:key\//);
  });
});

describe('fault-injected S3 (as AWS answers): two identical runs at once, the bucket being created by the other', () => {
  const racing = (aclOwner: () => Promise<{ Owner: { ID: string } }>) => {
    const aws = mockedAws();
    // ListBuckets does not show a bucket that is being created, while HeadBucket already answers 200.
    aws.source.s3.on(ListBucketsCommand).resolves({ Buckets: [], Owner: { ID: 'canonical-111111111111' } });
    aws.source.s3.on(HeadBucketCommand).resolves({ BucketRegion: 'ap-southeast-1' });
    aws.source.s3.on(GetBucketAclCommand).callsFake(aclOwner);
    aws.source.s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'ap-southeast-1' });
    return aws;
  };

  it('takes a bucket whose ACL owner is the caller (ListBuckets without it, HeadBucket 200) as ours, never as foreign', async () => {
    const aws = racing(async () => ({ Owner: { ID: 'canonical-111111111111' } }));

    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    expect(prepared.live.source).toMatchObject({ ownership: 'ours', region: 'ap-southeast-1' });
    expect(prepared.plan.changes.find((c) => c.id === 'source-bucket')?.action).toBe('no-op');
  });

  it('still refuses a bucket another account owns (its ACL is not ours to read), naming --source-bucket', async () => {
    const aws = racing(async () => {
      throw s3Error('AccessDenied', 'Access Denied', 403);
    });

    const error = await failureOf(prepareSetup(validatedSeed(), aws.clients, ignoreEvents));

    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => p.flag)).toEqual(['--source-bucket']);
    expect((error as InputError).message).toMatch(/belongs to another account/);
    expect(aws.writes()).toEqual([]);
  });
});
