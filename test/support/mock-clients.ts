import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SNSClient } from '@aws-sdk/client-sns';
// Real SDK clients with aws-sdk-client-mock on each, assembled the way createAwsClients assembles them, for the
// faults the emulator cannot produce (throttling, AccessDenied, IAM propagation, network). aws-sdk-client-mock
// replaces `send`, so the SDK's middleware (retry included) never runs for mocked commands.

import {
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  IAMServiceException,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  KMSClient,
  KMSServiceException,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import type { AccountClients, AwsClients } from '../../src/aws/clients.js';
import type { EngineEvent, EventSink } from '../../src/engine/events.js';
import type { RetryPolicy } from '../../src/engine/retry.js';
import type { RawOptions } from '../../src/input/options.js';
import type { SetupInput } from '../../src/input/types.js';
import { validateOptions } from '../../src/input/validate.js';
import { SEED_ACCOUNTS, SEED_RAW } from './fixtures.js';
import { isWrite, type SentCall } from './record.js';

export const SOURCE = { profile: 'xyz', region: 'ap-southeast-1', account: SEED_ACCOUNTS.source, bucket: 'rubes-s3-bucket' } as const;
export const DESTINATION = { profile: 'abcd', region: 'ap-southeast-2', account: SEED_ACCOUNTS.destination, bucket: 'clint-s3-bucket' } as const;
export const COMPANY_USERS = ['tom-cruise', 'clint-eastwood'];

/** The seed's flags with `overrides`, through the real validator, against a catalog holding the two profiles. */
export function validatedSeed(overrides: RawOptions = {}): SetupInput {
  const regions: Record<string, string> = { [SOURCE.profile]: SOURCE.region, [DESTINATION.profile]: DESTINATION.region };
  return validateOptions({ ...SEED_RAW, ...overrides }, { exists: (p) => p in regions, region: (p) => regions[p], names: () => Object.keys(regions) });
}

export interface MockedSide {
  s3: AwsClientStub<S3Client>;
  iam: AwsClientStub<IAMClient>;
  sts: AwsClientStub<STSClient>;
  kms: AwsClientStub<KMSClient>;
}

export interface MockedAws {
  clients: AwsClients;
  source: MockedSide;
  destination: MockedSide;
  /** Every command sent to any client, in order per client. */
  sent(): SentCall[];
  /** Only the commands that change something (Create*, Put*, Delete*, Update*, ...). */
  writes(): SentCall[];
}

const dummyCredentials = { accessKeyId: 'AKIAMOCKEDEXAMPLE', secretAccessKey: 'mocked-secret' };

/**
 * Two fresh accounts: STS names each, neither bucket exists anywhere (a bucket a test lists starts bare), the role does not exist, the company's users
 * exist without the tool's policy. Every write succeeds. Tests override single commands on `source`/`destination`.
 */
export function mockedAws(users: string[] = COMPANY_USERS, faults: { kmsAliasLag?: number } = {}): MockedAws {
  const side = (which: typeof SOURCE | typeof DESTINATION, isDestination: boolean): { clients: AccountClients; mocks: MockedSide } => {
    const clients = accountClients(which);
    const mocks: MockedSide = { s3: mockClient(clients.s3), iam: mockClient(clients.iam), sts: mockClient(clients.sts), kms: mockClient(clients.kms) };
    mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: which.account, Arn: `arn:aws:iam::${which.account}:user/admin` });
    mocks.s3.on(ListBucketsCommand).resolves({ Buckets: [] });
    // An empty bucket, as the preflight's count of existing objects reads it.
    mocks.s3.on(ListObjectsV2Command).resolves({ KeyCount: 0, Contents: [], IsTruncated: false });
    mocks.s3.on(HeadBucketCommand).rejects(s3Error('NotFound', 'Not Found', 404));
    // A bucket a test makes exist (ListBuckets) starts bare: never versioned, nothing configured.
    mocks.s3.on(GetBucketVersioningCommand).resolves({});
    mocks.s3
      .on(GetPublicAccessBlockCommand)
      .rejects(s3Error('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404));
    mocks.s3
      .on(GetBucketEncryptionCommand)
      .rejects(s3Error('ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found', 404));
    mocks.s3.on(GetBucketOwnershipControlsCommand).rejects(s3Error('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', 404));
    mocks.s3.on(GetBucketPolicyCommand).rejects(s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404));
    mocks.s3.on(GetBucketReplicationCommand).rejects(s3Error('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', 404));
    mocks.iam.on(GetRoleCommand).rejects(iamError('NoSuchEntity', 'The role cannot be found.', 404));
    mocks.iam.on(GetRolePolicyCommand).rejects(iamError('NoSuchEntity', 'The role policy cannot be found.', 404));
    mocks.iam.on(GetUserPolicyCommand).rejects(iamError('NoSuchEntity', 'The user policy cannot be found.', 404));
    // No inline policies anywhere, the previous release's included (aws/inline-policies.ts lists them).
    mocks.iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
    mocks.iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
    mocks.iam.on(GetUserCommand).callsFake((input: { UserName?: string }) => {
      if (isDestination && users.includes(input.UserName ?? '')) return { User: { UserName: input.UserName } };
      throw iamError('NoSuchEntity', `The user with name ${input.UserName} cannot be found.`, 404);
    });
    fakeKms(mocks.kms, which, faults.kmsAliasLag ?? 0);
    return { clients, mocks };
  };
  const source = side(SOURCE, false);
  const destination = side(DESTINATION, true);
  const sent = (): SentCall[] =>
    (['source', 'destination'] as const).flatMap((name) => {
      const mocks = name === 'source' ? source.mocks : destination.mocks;
      return (Object.keys(mocks) as (keyof MockedSide)[]).flatMap((service) =>
        mocks[service].calls().map((call) => {
          const command = call.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
          return { side: name, service, command: command.constructor.name.replace(/Command$/, ''), input: command.input };
        }),
      );
    });
  return {
    clients: { source: source.clients, destination: destination.clients, isAws: true },
    source: source.mocks,
    destination: destination.mocks,
    sent,
    writes: () => sent().filter(isWrite),
  };
}

/**
 * KMS keeps what it is told, because the engine reads a key it created back by its alias before planning the
 * documents that name the key's ARN: no key at first; CreateKey, CreateAlias and PutKeyPolicy are remembered.
 */
function fakeKms(kms: AwsClientStub<KMSClient>, which: typeof SOURCE | typeof DESTINATION, aliasLag: number): void {
  const keys = new Map<string, { arn: string; policy: string }>();
  const aliases = new Map<string, string>();
  // As AWS KMS (eventually consistent): the first `aliasLag` lookups by a new alias do not find it yet.
  const lag = new Map<string, number>();
  const aliasTarget = (ref: string): string | undefined => {
    const left = lag.get(ref) ?? 0;
    if (left <= 0) return aliases.get(ref);
    lag.set(ref, left - 1);
    return undefined;
  };
  const keyOf = (ref: string): string | undefined => aliasTarget(ref) ?? (keys.has(ref) ? ref : [...keys].find(([, key]) => key.arn === ref)?.[0]);
  kms.on(CreateKeyCommand).callsFake((input: { Policy?: string }) => {
    const keyId = `00000000-0000-4000-8000-${String(keys.size + 1).padStart(12, '0')}`;
    const arn = `arn:aws:kms:${which.region}:${which.account}:key/${keyId}`;
    keys.set(keyId, { arn, policy: input.Policy ?? '' });
    return { KeyMetadata: { KeyId: keyId, Arn: arn, KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' } };
  });
  kms.on(CreateAliasCommand).callsFake((input: { AliasName?: string; TargetKeyId?: string }) => {
    aliases.set(input.AliasName ?? '', input.TargetKeyId ?? '');
    lag.set(input.AliasName ?? '', aliasLag);
    return {};
  });
  kms.on(DescribeKeyCommand).callsFake((input: { KeyId?: string }) => {
    const keyId = keyOf(input.KeyId ?? '');
    const key = keyId ? keys.get(keyId) : undefined;
    if (!keyId || !key) throw kmsError('NotFoundException', `Key '${input.KeyId}' does not exist`, 400);
    return {
      KeyMetadata: { KeyId: keyId, Arn: key.arn, KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' },
    };
  });
  kms.on(GetKeyPolicyCommand).callsFake((input: { KeyId?: string }) => ({ Policy: keys.get(keyOf(input.KeyId ?? '') ?? '')?.policy }));
  kms.on(PutKeyPolicyCommand).callsFake((input: { KeyId?: string; Policy?: string }) => {
    const key = keys.get(keyOf(input.KeyId ?? '') ?? '');
    if (key) key.policy = input.Policy ?? '';
    return {};
  });
}

/** Real, unmocked clients for both sides with static keys, one attempt per call, e.g. at an endpoint nobody serves. */
export function unmockedClients(endpoint: string): AwsClients {
  return { source: accountClients(SOURCE, endpoint), destination: accountClients(DESTINATION, endpoint), isAws: false };
}

function accountClients(which: typeof SOURCE | typeof DESTINATION, endpoint?: string): AccountClients {
  const common = { region: which.region, credentials: dummyCredentials, maxAttempts: 1, ...(endpoint ? { endpoint } : {}) };
  return {
    profile: which.profile,
    credentialSource: `profile ${which.profile}`,
    region: which.region,
    s3: new S3Client({ ...common, forcePathStyle: !!endpoint }),
    // IAM is global and signed for us-east-1, as createAwsClients does.
    iam: new IAMClient({ ...common, region: 'us-east-1' }),
    sts: new STSClient(common),
    kms: new KMSClient(common),
    s3control: new S3ControlClient(common),
    sns: new SNSClient(common),
    cloudwatch: new CloudWatchClient(common),
  };
}

/** An S3 error as the SDK throws it after deserialising AWS's answer. */
export function s3Error(name: string, message: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

export function iamError(name: string, message: string, status: number): IAMServiceException {
  return new IAMServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

export function kmsError(name: string, message: string, status: number): KMSServiceException {
  return new KMSServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

/** What Node's socket layer throws when nothing listens on the port (no `name` of its own, a `code`). */
export function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, but it succeeded');
}

/** A propagation retry policy that does not wait: it records the delays it was asked to sleep. */
export function instantRetry(attempts: number): RetryPolicy & { slept: number[] } {
  const slept: number[] = [];
  return { attempts, firstDelayMs: 1_000, maxDelayMs: 4_000, slept, sleep: async (ms) => void slept.push(ms) };
}

/** Collects the engine's events, as the CLI's progress view would receive them. */
export function eventLog(): { events: EngineEvent[]; sink: EventSink } {
  const events: EngineEvent[] = [];
  return { events, sink: (event) => void events.push(event) };
}
