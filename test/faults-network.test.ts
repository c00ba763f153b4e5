// Network failures: AWS (or the --endpoint-url) unreachable, or a call timing out. Code NETWORK, exit 1, a remedy.
import { createServer } from 'node:net';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ApplyFailedError } from '../src/engine/apply.js';
import { ignoreEvents } from '../src/engine/events.js';
import { applySetup, prepareSetup } from '../src/engine/setup.js';
import type { ReplicateSetupError } from '../src/errors.js';
import { connectionRefused, failureOf, instantRetry, type MockedAws, mockedAws, unmockedClients, validatedSeed } from './support/mock-clients.js';

/** A local port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The SDK's own error when a request outlives the handler's requestTimeout. */
const timeout = (): Error =>
  Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.'), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });

describe('network errors', () => {
  it('an endpoint nothing listens on fails the read phase with NETWORK, naming --endpoint-url in the remedy', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const input = validatedSeed({ endpointUrl: endpoint });
    const clients = unmockedClients(endpoint);

    const error = (await failureOf(prepareSetup(input, clients, ignoreEvents))) as ReplicateSetupError;

    expect(error.code).toBe('NETWORK');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.remedy).toContain('--endpoint-url');
  });

  it.each([
    {
      what: 'ECONNREFUSED',
      step: 'replication-role-policy',
      inject: (aws: MockedAws) => void aws.source.iam.on(PutRolePolicyCommand).rejects(connectionRefused()),
    },
    {
      what: 'TimeoutError',
      step: 'destination-bucket-policy',
      inject: (aws: MockedAws) => void aws.destination.s3.on(PutBucketPolicyCommand).rejects(timeout()),
    },
  ])('$what during apply fails $step with NETWORK; a re-run is the remedy', async ({ step, inject }) => {
    const aws = mockedAws();
    inject(aws);
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const failed = (await failureOf(applySetup(prepared, aws.clients, ignoreEvents, { retry: instantRetry(3) }))) as ApplyFailedError;

    expect(failed).toBeInstanceOf(ApplyFailedError);
    expect(failed.code).toBe('NETWORK');
    expect(failed.exitCode).toBe(1);
    expect(failed.remedy).toMatch(/check the network/i);
    expect(failed.remedy).toMatch(/run again/i);
    expect(failed.steps.find((s) => s.id === step)?.status).toBe('failed');
    expect(failed.steps.find((s) => s.id === 'replication-configuration')?.status).toBe('not-run');
  });
});
