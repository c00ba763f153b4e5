// Preflight and credentials: every problem that is the input's fault is an InputError (exit 2) raised before any
// write, and the mocks prove it: zero Create*/Put*/Delete*/Update* commands reached either account.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../src/aws/clients.js';
import type { ApplyFailedError } from '../src/engine/apply.js';
import { ignoreEvents } from '../src/engine/events.js';
import { applySetup, prepareSetup } from '../src/engine/setup.js';
import { InputError, type ReplicateSetupError } from '../src/errors.js';
import { DESTINATION, failureOf, iamError, type MockedAws, mockedAws, SOURCE, s3Error, validatedSeed } from './support/mock-clients.js';

async function preflightFailure(aws: MockedAws, input = validatedSeed()): Promise<InputError> {
  const error = await failureOf(prepareSetup(input, aws.clients, ignoreEvents));
  expect(error).toBeInstanceOf(InputError);
  expect(aws.writes()).toEqual([]);
  return error as InputError;
}

/** The destination bucket already exists in the destination account, in `region`. */
function destinationBucketIn(aws: MockedAws, region: string): void {
  aws.destination.s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: DESTINATION.bucket }] });
  aws.destination.s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: region as 'us-west-2' });
}

describe('preflight problems are InputErrors and nothing is written', () => {
  it('a source bucket name held by another account names --source-bucket', async () => {
    const aws = mockedAws();
    aws.source.s3.on(HeadBucketCommand).rejects(s3Error('Forbidden', 'Forbidden', 403));

    const error = await preflightFailure(aws);

    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([{ flag: '--source-bucket', message: expect.stringContaining('belongs to another account') }]);
  });

  it('a destination bucket of ours in another region names --dest-region', async () => {
    const aws = mockedAws();
    destinationBucketIn(aws, 'us-west-2');

    const error = await preflightFailure(aws);

    expect(error.problems).toEqual([{ flag: '--dest-region', message: expect.stringContaining('already exists in us-west-2') }]);
  });

  it('an authorised user missing from the destination account names --authorized-user', async () => {
    const error = await preflightFailure(mockedAws(), validatedSeed({ authorizedUser: ['tom-cruise', 'ghost-user'] }));

    expect(error.problems).toEqual([
      { flag: '--authorized-user', message: expect.stringContaining(':user/ghost-user does not exist in account 222222222222') },
    ]);
  });

  it('lists every problem at once', async () => {
    const aws = mockedAws();
    aws.source.s3.on(HeadBucketCommand).rejects(s3Error('Forbidden', 'Forbidden', 403));
    destinationBucketIn(aws, 'us-west-2');

    const error = await preflightFailure(aws, validatedSeed({ authorizedUser: ['ghost-user'] }));

    expect(error.problems.map((p) => p.flag).sort()).toEqual(['--authorized-user', '--dest-region', '--source-bucket']);
  });
});

describe('missing or bad credentials', () => {
  const credentialsProviderError = (): Error =>
    Object.assign(new Error(`Could not resolve credentials using profile: [${SOURCE.profile}] in configuration/credentials file(s).`), {
      name: 'CredentialsProviderError',
      tryNextLink: false,
    });

  it.each([
    { side: 'source' as const, what: 'CredentialsProviderError', flag: '--source-profile', profile: SOURCE.profile, error: credentialsProviderError },
    // 403, yet not a missing permission: the key itself is bad.
    {
      side: 'destination' as const,
      what: 'InvalidClientTokenId (403)',
      flag: '--dest-profile',
      profile: DESTINATION.profile,
      error: () => iamError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    },
    {
      side: 'destination' as const,
      what: 'ExpiredToken (403)',
      flag: '--dest-profile',
      profile: DESTINATION.profile,
      error: () => iamError('ExpiredToken', 'The security token included in the request is expired', 403),
    },
  ])('$side: $what from STS names $flag, exit 2, nothing written', async ({ side, flag, profile, error }) => {
    const aws = mockedAws();
    aws[side].sts.on(GetCallerIdentityCommand).rejects(error());

    const failure = await preflightFailure(aws);

    expect(failure.code).toBe('NO_CREDENTIALS');
    expect(failure.exitCode).toBe(2);
    expect(failure.problems).toHaveLength(1);
    expect(failure.problems[0]!.flag).toBe(flag);
    expect(failure.problems[0]!.message).toContain(`profile ${profile}`);
  });

  it('a real profile without credentials (fromIni) is an InputError naming --source-profile, nothing sent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'replicate-setup-faults-'));
    try {
      await writeFile(
        join(dir, 'config'),
        `[profile ${SOURCE.profile}]\nregion = ${SOURCE.region}\n[profile ${DESTINATION.profile}]\nregion = ${DESTINATION.region}\n`,
      );
      await writeFile(
        join(dir, 'credentials'),
        `[${DESTINATION.profile}]\naws_access_key_id = AKIAEXAMPLEDESTONLY\naws_secret_access_key = destination-secret\n`,
      );
      vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
      vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
      for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) vi.stubEnv(name, undefined);
      // Nothing listens there: whatever got past the credentials could not have written anything.
      const input = validatedSeed({ endpointUrl: 'http://127.0.0.1:1' });

      const error = await failureOf(prepareSetup(input, await createAwsClients(input), ignoreEvents));

      expect(error).toBeInstanceOf(InputError);
      const failure = error as InputError;
      expect(failure.code).toBe('NO_CREDENTIALS');
      expect(failure.exitCode).toBe(2);
      expect(failure.problems).toEqual([{ flag: '--source-profile', message: expect.stringContaining('aws configure --profile xyz') }]);
    } finally {
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('both profiles without credentials: one InputError naming --source-profile and --dest-profile, nothing written', async () => {
    const aws = mockedAws();
    for (const side of ['source', 'destination'] as const) {
      aws[side].s3.reset().onAnyCommand().rejects(credentialsProviderError());
      aws[side].iam.reset().onAnyCommand().rejects(credentialsProviderError());
      aws[side].sts.reset().onAnyCommand().rejects(credentialsProviderError());
    }

    const error = await failureOf(prepareSetup(validatedSeed(), aws.clients, ignoreEvents));

    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    expect((error as InputError).problems.map((p) => p.flag)).toEqual(['--source-profile', '--dest-profile']);
    expect(aws.writes()).toEqual([]);
  });

  it('when every call of a side fails on credentials, whichever fails first: exit 2, the profile named, nothing written', async () => {
    // Credentials are resolved per call, so S3 and IAM fail like STS; with mocks their order is not AWS's.
    const aws = mockedAws();
    // reset(): the commands' own default answers would take precedence over onAnyCommand.
    aws.source.s3.reset().onAnyCommand().rejects(credentialsProviderError());
    aws.source.iam.reset().onAnyCommand().rejects(credentialsProviderError());
    aws.source.sts.reset().onAnyCommand().rejects(credentialsProviderError());

    const error = (await failureOf(prepareSetup(validatedSeed(), aws.clients, ignoreEvents))) as ReplicateSetupError;

    expect(error.code).toBe('NO_CREDENTIALS');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('"xyz"');
    expect(aws.writes()).toEqual([]);
  });
});

describe('credentials that expire during apply', () => {
  const expired = (): Error => s3Error('ExpiredToken', 'The provided token has expired.', 400);

  it('exit 1 once something was written: exit 2 would claim nothing was', async () => {
    const aws = mockedAws();
    aws.source.s3.on(PutBucketVersioningCommand).rejects(expired());
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const failed = (await failureOf(applySetup(prepared, aws.clients, ignoreEvents))) as ApplyFailedError;

    expect(failed.code).toBe('NO_CREDENTIALS');
    expect(failed.remedy).toContain('aws sso login --profile xyz');
    expect(aws.writes().length).toBeGreaterThan(1);
    expect(failed.exitCode).toBe(1);
  });

  it('exit 2 when they expired before the first write landed', async () => {
    const aws = mockedAws();
    for (const side of [aws.source, aws.destination]) {
      side.s3.on(CreateBucketCommand).rejects(expired());
      side.iam.on(CreateRoleCommand).rejects(expired());
      side.iam.on(PutUserPolicyCommand).rejects(expired());
    }
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);

    const failed = (await failureOf(applySetup(prepared, aws.clients, ignoreEvents))) as ApplyFailedError;

    expect(failed.code).toBe('NO_CREDENTIALS');
    expect(failed.steps.filter((s) => s.status === 'done')).toEqual([]);
    expect(failed.exitCode).toBe(2);
  });
});
