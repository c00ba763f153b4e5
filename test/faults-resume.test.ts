// A run that fails half-way, then a run that finishes it, against the real emulator (moto): the first run's fault is
// injected by an SDK middleware on one real client; the second run plans exactly what is missing and completes; a
// third run is all no-op and writes nothing.

import { GetRoleCommand, GetRolePolicyCommand, GetUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, GetBucketReplicationCommand, GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import type { MiddlewareStack } from '@smithy/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AwsClients, createAwsClients } from '../src/aws/clients.js';
import { ApplyFailedError } from '../src/engine/apply.js';
import { ignoreEvents } from '../src/engine/events.js';
import { applySetup, prepareSetup } from '../src/engine/setup.js';
import { pendingChanges } from '../src/plan/changes.js';
import { setupNames } from '../src/plan/names.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { SEED_ACCOUNTS } from './support/fixtures.js';
import { failureOf, iamError, instantRetry, s3Error, validatedSeed } from './support/mock-clients.js';
import { isWrite, recordCalls } from './support/record.js';

const emu = useEmulator();

afterEach(() => {
  vi.unstubAllEnvs();
});

// One helper for S3 and IAM clients, whose middleware stacks differ in type.
// biome-ignore lint/suspicious/noExplicitAny: S3 and IAM stacks have unrelated input and output unions.
type AnyClient = { middlewareStack: MiddlewareStack<any, any> };

/** Makes the first `commandName` sent through `client` fail with `error` before it leaves the process. */
function failOnce(client: AnyClient, commandName: string, error: Error): void {
  let fired = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!fired && context.commandName === commandName) {
        fired = true;
        throw error;
      }
      return next(args);
    },
    { step: 'initialize', name: 'faultInjection' },
  );
}

/** The production clients, reading the emulator's profile files as they would read the user's. */
async function emulatorAwsClients(input: ReturnType<typeof validatedSeed>): Promise<AwsClients> {
  for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
  for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) vi.stubEnv(name, undefined);
  return createAwsClients(input);
}

const s3Denied = s3Error('AccessDenied', 'Access Denied', 403);

const faults = [
  {
    what: 'destination PutBucketVersioning denied',
    inject: (c: AwsClients) => failOnce(c.destination.s3, 'PutBucketVersioningCommand', s3Denied),
    failed: 'destination-versioning',
  },
  {
    what: 'source CreateRole denied',
    inject: (c: AwsClients) => failOnce(c.source.iam, 'CreateRoleCommand', iamError('AccessDenied', 'not authorized to perform: iam:CreateRole', 403)),
    failed: 'replication-role',
  },
  {
    what: 'source PutBucketReplication denied',
    inject: (c: AwsClients) => failOnce(c.source.s3, 'PutBucketReplicationCommand', s3Denied),
    failed: 'replication-configuration',
  },
];

describe('a second run finishes a half-done setup (emulator)', () => {
  it.each(faults)('$what', async ({ inject, failed }) => {
    const input = validatedSeed({
      sourceBucket: uniqueBucketName('rubes-s3-bucket'),
      destBucket: uniqueBucketName('clint-s3-bucket'),
      endpointUrl: emu.endpoint,
    });
    const clients = await emulatorAwsClients(input);
    inject(clients);

    // Run 1: fails half-way.
    const first = await failureOf(applySetup(await prepareSetup(input, clients, ignoreEvents), clients, ignoreEvents, { retry: instantRetry(3) }));
    expect(first).toBeInstanceOf(ApplyFailedError);
    const firstSteps = (first as ApplyFailedError).steps;
    expect(firstSteps.find((s) => s.id === failed)?.status).toBe('failed');
    const leftUndone = firstSteps.filter((s) => s.status === 'failed' || s.status === 'not-run').map((s) => s.id);
    expect(firstSteps.filter((s) => s.status === 'done').length).toBeGreaterThan(0);

    // Run 2: plans exactly what run 1 left undone, and does it.
    const second = await prepareSetup(input, clients, ignoreEvents);
    expect(
      pendingChanges(second.plan)
        .map((c) => c.id)
        .sort(),
    ).toEqual(leftUndone.sort());
    const secondSteps = await applySetup(second, clients, ignoreEvents, { retry: instantRetry(3) });
    expect(
      secondSteps
        .filter((s) => s.status === 'done')
        .map((s) => s.id)
        .sort(),
    ).toEqual(leftUndone.sort());
    expect(secondSteps.every((s) => s.status === 'done' || s.status === 'unchanged')).toBe(true);

    // Everything exists, as the admin of each account sees it.
    const roleArn = `arn:aws:iam::${emu.accounts.source}:role/${input.roleName}`;
    const source = emu.clients('source');
    const destination = emu.clients('destination');
    for (const [s3, Bucket] of [
      [source.s3, input.source.bucket],
      [destination.s3, input.destination.bucket],
    ] as const) {
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    }
    expect((await source.iam.send(new GetRoleCommand({ RoleName: input.roleName }))).Role?.Arn).toBe(roleArn);
    expect(
      (await source.iam.send(new GetRolePolicyCommand({ RoleName: input.roleName, PolicyName: setupNames(input, SEED_ACCOUNTS).rolePolicy }))).PolicyDocument,
    ).toBeTruthy();
    expect((await source.s3.send(new GetBucketReplicationCommand({ Bucket: input.source.bucket }))).ReplicationConfiguration?.Role).toBe(roleArn);
    expect((await destination.s3.send(new GetBucketPolicyCommand({ Bucket: input.destination.bucket }))).Policy).toContain(roleArn);
    expect((await source.s3.send(new GetBucketPolicyCommand({ Bucket: input.source.bucket }))).Policy).toContain(':user/tom-cruise');
    expect(
      (await destination.iam.send(new GetUserPolicyCommand({ UserName: 'tom-cruise', PolicyName: setupNames(input, SEED_ACCOUNTS).readerPolicy })))
        .PolicyDocument,
    ).toBeTruthy();

    // Run 3: nothing left to do, and nothing is written.
    const sent = recordCalls(clients);
    const third = await prepareSetup(input, clients, ignoreEvents);
    expect(pendingChanges(third.plan)).toEqual([]);
    const thirdSteps = await applySetup(third, clients, ignoreEvents);
    expect(thirdSteps.every((s) => s.status === 'unchanged')).toBe(true);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter(isWrite)).toEqual([]);
  });
});
