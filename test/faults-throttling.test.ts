// Throttling. Retrying it is the SDK's job (its retry middleware, with the attempts createAwsClients configures);
// ours is to say what to do once the SDK gives up. aws-sdk-client-mock replaces `send`, so the SDK's retry never runs
// for a mocked command: a mocked throttle is therefore one that outlived the SDK's retries. To see the retries
// themselves, a real S3Client is given a fake HTTP transport, so the whole middleware stack (retry included) runs.
import { Readable } from 'node:stream';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand, PutBucketVersioningCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from '../src/aws/clients.js';
import { ApplyFailedError } from '../src/engine/apply.js';
import { ignoreEvents } from '../src/engine/events.js';
import { applySetup, prepareSetup } from '../src/engine/setup.js';
import { failureOf, iamError, instantRetry, type MockedAws, mockedAws, s3Error, validatedSeed } from './support/mock-clients.js';

/** The number of attempts the production clients make per call, read from a client createAwsClients builds. */
async function productionMaxAttempts(): Promise<number> {
  const clients = await createAwsClients(validatedSeed());
  return clients.destination.s3.config.maxAttempts();
}

const SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>R1</RequestId></Error>';

/**
 * A real S3 client whose transport answers S3 as AWS would: PutBucketVersioning gets 503 SlowDown `throttles` times,
 * every other request 200. The retry strategy is the SDK's own standard one, minus the waiting between attempts.
 */
function throttlingS3(region: string, maxAttempts: number, throttles: number): { s3: S3Client; versioningRequests: () => number } {
  let versioningRequests = 0;
  const requestHandler: S3ClientConfig['requestHandler'] = {
    handle: async (request: { method: string; query?: Record<string, unknown> }) => {
      const isVersioning = request.method === 'PUT' && request.query !== undefined && 'versioning' in request.query;
      if (isVersioning) versioningRequests += 1;
      const throttled = isVersioning && versioningRequests <= throttles;
      const body = Readable.from([Buffer.from(throttled ? SLOW_DOWN : '')]);
      return { response: { statusCode: throttled ? 503 : 200, headers: { 'content-type': 'application/xml' }, body } };
    },
  } as unknown as S3ClientConfig['requestHandler'];
  const s3 = new S3Client({
    region,
    credentials: { accessKeyId: 'AKIAMOCKEDEXAMPLE', secretAccessKey: 'mocked-secret' },
    retryStrategy: new ConfiguredRetryStrategy(maxAttempts, 0),
    requestHandler,
  });
  return { s3, versioningRequests: () => versioningRequests };
}

describe('throttling', () => {
  it('production clients let the SDK retry a call several times', async () => {
    expect(await productionMaxAttempts()).toBeGreaterThanOrEqual(3);
  });

  it('a SlowDown the SDK retries away completes the step (real retry middleware)', async () => {
    const aws = mockedAws();
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);
    const fake = throttlingS3(aws.clients.destination.region, await productionMaxAttempts(), 2);
    aws.clients.destination.s3 = fake.s3;

    const steps = await applySetup(prepared, aws.clients, ignoreEvents, { retry: instantRetry(3) });

    expect(steps.every((s) => s.status === 'done')).toBe(true);
    expect(fake.versioningRequests()).toBe(3);
  });

  it('a SlowDown that outlives every SDK attempt is THROTTLED, with the attempts counted and a re-run as remedy', async () => {
    const aws = mockedAws();
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);
    const maxAttempts = await productionMaxAttempts();
    const fake = throttlingS3(aws.clients.destination.region, maxAttempts, Number.POSITIVE_INFINITY);
    aws.clients.destination.s3 = fake.s3;

    const failed = (await failureOf(applySetup(prepared, aws.clients, ignoreEvents, { retry: instantRetry(3) }))) as ApplyFailedError;

    expect(failed).toBeInstanceOf(ApplyFailedError);
    expect(fake.versioningRequests()).toBe(maxAttempts);
    expect(failed.code).toBe('THROTTLED');
    expect(failed.exitCode).toBe(1);
    expect(failed.message).toContain(`even after ${maxAttempts} attempts`);
    expect(failed.remedy).toMatch(/run the same command again/i);
    const status = Object.fromEntries(failed.steps.map((s) => [s.id, s.status]));
    expect(status['destination-versioning']).toBe('failed');
    expect(status['replication-configuration']).toBe('not-run');
    expect(status['source-versioning']).toBe('done');
  });

  it.each([
    {
      what: 'S3 SlowDown (503)',
      step: 'destination-versioning',
      write: { side: 'destination', name: 'PutBucketVersioning' },
      inject: (aws: MockedAws) => void aws.destination.s3.on(PutBucketVersioningCommand).rejects(s3Error('SlowDown', 'Please reduce your request rate.', 503)),
    },
    {
      what: 'IAM Throttling (400)',
      step: 'replication-role',
      write: { side: 'source', name: 'CreateRole' },
      inject: (aws: MockedAws) => void aws.source.iam.on(CreateRoleCommand).rejects(iamError('Throttling', 'Rate exceeded', 400)),
    },
  ])('$what that outlived the SDK retries fails its step as THROTTLED; our own retry adds none', async ({ step, write, inject }) => {
    const aws = mockedAws();
    inject(aws);
    const retry = instantRetry(5);
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const failed = (await failureOf(applySetup(prepared, aws.clients, ignoreEvents, { retry }))) as ApplyFailedError;

    expect(failed.code).toBe('THROTTLED');
    expect(failed.remedy).toMatch(/run the same command again/i);
    expect(failed.steps.find((s) => s.id === step)?.status).toBe('failed');
    expect(retry.slept).toEqual([]);
    expect(aws.writes().filter((w) => w.side === write.side && w.command === write.name)).toHaveLength(1);
  });

  it('throttling while reading live state stops before any write', async () => {
    const aws = mockedAws();
    aws.source.s3.on(ListBucketsCommand).rejects(s3Error('SlowDown', 'Please reduce your request rate.', 503));

    const error = (await failureOf(prepareSetup(validatedSeed(), aws.clients, ignoreEvents))) as { code: string; exitCode: number; remedy: string };

    expect(error.code).toBe('THROTTLED');
    expect(error.exitCode).toBe(1);
    expect(aws.writes()).toEqual([]);
  });
});
