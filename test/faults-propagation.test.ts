// IAM eventual consistency: a role created a moment ago is "Invalid principal" to S3 and unknown to IAM for seconds.
// The engine waits that out, visibly (step-waiting events), boundedly, and says what to do when it gives up.

import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { PutBucketPolicyCommand, PutBucketReplicationCommand, PutBucketVersioningCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ApplyFailedError } from '../src/engine/apply.js';
import { ignoreEvents } from '../src/engine/events.js';
import { applySetup, prepareSetup } from '../src/engine/setup.js';
import { eventLog, failureOf, iamError, instantRetry, mockedAws, s3Error, validatedSeed } from './support/mock-clients.js';

const invalidPrincipal = s3Error('MalformedPolicy', 'Invalid principal in policy', 400);

describe('IAM propagation', () => {
  it('retries the destination bucket policy through two "Invalid principal" answers, showing that it waits', async () => {
    const aws = mockedAws();
    aws.destination.s3.on(PutBucketPolicyCommand).rejectsOnce(invalidPrincipal).rejectsOnce(invalidPrincipal).resolves({});
    const retry = instantRetry(5);
    const log = eventLog();
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const steps = await applySetup(prepared, aws.clients, log.sink, { retry });

    expect(steps.every((s) => s.status === 'done')).toBe(true);
    expect(aws.destination.s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(3);
    const waiting = log.events.filter((e) => e.type === 'step-waiting');
    expect(waiting.map((e) => ({ step: e.change.id, attempt: e.attempt, delayMs: e.delayMs, reason: e.reason }))).toEqual([
      { step: 'destination-bucket-policy', attempt: 1, delayMs: 1_000, reason: 'Invalid principal in policy' },
      { step: 'destination-bucket-policy', attempt: 2, delayMs: 2_000, reason: 'Invalid principal in policy' },
    ]);
    expect(retry.slept).toEqual([1_000, 2_000]);
    // Replication waits for the policy that lets its role in.
    const at = (type: string, id: string): number => log.events.findIndex((e) => e.type === type && 'change' in e && e.change.id === id);
    expect(at('step-start', 'replication-configuration')).toBeGreaterThan(at('step-done', 'destination-bucket-policy'));
  });

  it('retries the role policy while IAM does not know the new role yet', async () => {
    const aws = mockedAws();
    aws.source.iam
      .on(PutRolePolicyCommand)
      .rejectsOnce(iamError('NoSuchEntity', 'The role with name s3_replication_role cannot be found.', 404))
      .resolves({});
    const log = eventLog();
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const steps = await applySetup(prepared, aws.clients, log.sink, { retry: instantRetry(5) });

    expect(steps.every((s) => s.status === 'done')).toBe(true);
    expect(log.events.filter((e) => e.type === 'step-waiting').map((e) => e.change.id)).toEqual(['replication-role-policy']);
  });

  it('gives up after RetryPolicy.attempts with an error that says why and what to do', async () => {
    const aws = mockedAws();
    aws.destination.s3.on(PutBucketPolicyCommand).rejects(invalidPrincipal);
    const retry = instantRetry(4);
    const log = eventLog();
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const error = await failureOf(applySetup(prepared, aws.clients, log.sink, { retry }));

    expect(aws.destination.s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(4);
    expect(retry.slept).toEqual([1_000, 2_000, 4_000]);
    expect(log.events.filter((e) => e.type === 'step-waiting')).toHaveLength(3);
    expect(error).toBeInstanceOf(ApplyFailedError);
    const failed = error as ApplyFailedError;
    expect(failed.code).toBe('AWS_ERROR');
    expect(failed.exitCode).toBe(1);
    expect(failed.message).toContain('after 4 attempts over 7s');
    expect(failed.message).toContain('Invalid principal in policy');
    expect(failed.remedy).toMatch(/IAM propagation/);
    expect(failed.remedy).toMatch(/run the same command again/);
    const status = Object.fromEntries(failed.steps.map((s) => [s.id, s.status]));
    expect(status['destination-bucket-policy']).toBe('failed');
    expect(status['replication-configuration']).toBe('not-run');
    expect(status['source-bucket-policy']).toBe('done');
  });

  it('does not retry a policy S3 rejects for another reason', async () => {
    const aws = mockedAws();
    aws.destination.s3.on(PutBucketPolicyCommand).rejects(s3Error('MalformedPolicy', 'Policy has invalid resource', 400));
    const retry = instantRetry(5);
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const failed = (await failureOf(applySetup(prepared, aws.clients, ignoreEvents, { retry }))) as ApplyFailedError;

    expect(aws.destination.s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(1);
    expect(retry.slept).toEqual([]);
    expect(failed.code).toBe('AWS_ERROR');
    expect(failed.message).toContain('MalformedPolicy');
    expect(failed.message).toContain('Policy has invalid resource');
  });
});

describe('S3 catching up with itself', () => {
  it.each([
    {
      what: 'a conflicting change to the same bucket (409 OperationAborted)',
      command: PutPublicAccessBlockCommand,
      side: 'source' as const,
      step: 'source-public-access-block',
      error: s3Error('OperationAborted', 'A conflicting conditional operation is currently in progress against this resource. Please try again.', 409),
    },
    {
      what: 'a bucket created a moment ago (NoSuchBucket)',
      command: PutBucketVersioningCommand,
      side: 'destination' as const,
      step: 'destination-versioning',
      error: s3Error('NoSuchBucket', 'The specified bucket does not exist', 404),
    },
    {
      what: 'versioning set a moment ago',
      command: PutBucketReplicationCommand,
      side: 'source' as const,
      step: 'replication-configuration',
      error: s3Error('InvalidRequest', "Versioning must be 'Enabled' on the bucket to apply a replication configuration", 400),
    },
  ])('waits out $what, then completes', async ({ command: anyCommand, side, step, error }) => {
    // One command type for the mock's signature; each row's command is a plain S3 write.
    const command = anyCommand as typeof PutPublicAccessBlockCommand;
    const aws = mockedAws();
    aws[side].s3.on(command).rejectsOnce(error).resolves({});
    const log = eventLog();
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const steps = await applySetup(prepared, aws.clients, log.sink, { retry: instantRetry(5) });

    expect(steps.every((s) => s.status === 'done')).toBe(true);
    expect(aws[side].s3.commandCalls(command)).toHaveLength(2);
    expect(log.events.filter((e) => e.type === 'step-waiting').map((e) => e.change.id)).toEqual([step]);
  });

  it('does not retry another InvalidRequest', async () => {
    const aws = mockedAws();
    aws.source.s3.on(PutBucketReplicationCommand).rejects(s3Error('InvalidRequest', 'Priority must be unique', 400));
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const error = await failureOf(applySetup(prepared, aws.clients, ignoreEvents, { retry: instantRetry(5) }));

    expect(error).toBeInstanceOf(ApplyFailedError);
    expect(aws.source.s3.commandCalls(PutBucketReplicationCommand)).toHaveLength(1);
  });
});
