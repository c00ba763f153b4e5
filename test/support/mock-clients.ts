// Real SDK clients with aws-sdk-client-mock on each, assembled the way createAwsClients assembles them, for the
// faults the emulator cannot produce (throttling, AccessDenied, IAM propagation, network). aws-sdk-client-mock
// replaces `send`, so the SDK's middleware (retry included) never runs for mocked commands.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { HeadBucketCommand, ListBucketsCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { GetRoleCommand, GetRolePolicyCommand, GetUserCommand, GetUserPolicyCommand, IAMClient, IAMServiceException } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import type { AccountClients, AwsClients } from '../../src/aws/clients.js';
import type { RawOptions } from '../../src/input/options.js';
import type { SetupInput } from '../../src/input/types.js';
import { validateOptions } from '../../src/input/validate.js';
import type { Change } from '../../src/plan/changes.js';
import type { EngineEvent, EventSink } from '../../src/engine/events.js';
import type { RetryPolicy } from '../../src/engine/retry.js';

export const SOURCE = { profile: 'xyz', region: 'ap-southeast-1', account: '111111111111', bucket: 'rubes-s3-bucket' } as const;
export const DESTINATION = { profile: 'abcd', region: 'ap-southeast-2', account: '222222222222', bucket: 'clint-s3-bucket' } as const;
export const COMPANY_USERS = ['tom-cruise', 'clint-eastwood'];

/** The seed's setup, validated by the real validator against a catalog holding the two profiles. */
export function seedInput(overrides: RawOptions = {}): SetupInput {
  const regions: Record<string, string> = { [SOURCE.profile]: SOURCE.region, [DESTINATION.profile]: DESTINATION.region };
  return validateOptions(
    {
      sourceProfile: SOURCE.profile,
      sourceBucket: SOURCE.bucket,
      destProfile: DESTINATION.profile,
      destBucket: DESTINATION.bucket,
      roleName: 's3_replication_role',
      authorizedUser: ['tom-cruise'],
      ...overrides,
    },
    { exists: (p) => p in regions, region: (p) => regions[p], names: () => Object.keys(regions) },
  );
}

export interface MockedSide {
  s3: AwsClientStub<S3Client>;
  iam: AwsClientStub<IAMClient>;
  sts: AwsClientStub<STSClient>;
  kms: AwsClientStub<KMSClient>;
}

export interface SentCommand {
  side: 'source' | 'destination';
  service: keyof MockedSide;
  /** e.g. `PutBucketPolicy` */
  name: string;
  input: Record<string, unknown>;
}

export interface MockedAws {
  clients: AwsClients;
  source: MockedSide;
  destination: MockedSide;
  /** Every command sent to any client, in order. */
  sent(): SentCommand[];
  /** Only the commands that change something (Create*, Put*, Delete*, Update*, ...). */
  writes(): SentCommand[];
}

const WRITE = /^(Create|Put|Delete|Update|Tag|Untag|Attach|Detach|Enable|Disable|Schedule)/;
const dummyCredentials = { accessKeyId: 'AKIAMOCKEDEXAMPLE', secretAccessKey: 'mocked-secret' };

/**
 * Two fresh accounts: STS names each, neither bucket exists anywhere, the role does not exist, the company's users
 * exist without the tool's policy. Every write succeeds. Tests override single commands on `source`/`destination`.
 */
export function mockedAws(users: string[] = COMPANY_USERS): MockedAws {
  const side = (which: typeof SOURCE | typeof DESTINATION, isDestination: boolean): { clients: AccountClients; mocks: MockedSide } => {
    const common = { region: which.region, credentials: dummyCredentials, maxAttempts: 1 };
    const clients: AccountClients = {
      profile: which.profile,
      region: which.region,
      s3: new S3Client(common),
      iam: new IAMClient({ ...common, region: 'us-east-1' }),
      sts: new STSClient(common),
      kms: new KMSClient(common),
    };
    const mocks: MockedSide = { s3: mockClient(clients.s3), iam: mockClient(clients.iam), sts: mockClient(clients.sts), kms: mockClient(clients.kms) };
    mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: which.account, Arn: `arn:aws:iam::${which.account}:user/admin` });
    mocks.s3.on(ListBucketsCommand).resolves({ Buckets: [] });
    mocks.s3.on(HeadBucketCommand).rejects(s3Error('NotFound', 'Not Found', 404));
    mocks.iam.on(GetRoleCommand).rejects(iamError('NoSuchEntity', 'The role cannot be found.', 404));
    mocks.iam.on(GetRolePolicyCommand).rejects(iamError('NoSuchEntity', 'The role policy cannot be found.', 404));
    mocks.iam.on(GetUserPolicyCommand).rejects(iamError('NoSuchEntity', 'The user policy cannot be found.', 404));
    mocks.iam.on(GetUserCommand).callsFake((input: { UserName?: string }) => {
      if (isDestination && users.includes(input.UserName ?? '')) return { User: { UserName: input.UserName } };
      throw iamError('NoSuchEntity', `The user with name ${input.UserName} cannot be found.`, 404);
    });
    return { clients, mocks };
  };
  const source = side(SOURCE, false);
  const destination = side(DESTINATION, true);
  const sent = (): SentCommand[] =>
    (['source', 'destination'] as const).flatMap((name) => {
      const mocks = name === 'source' ? source.mocks : destination.mocks;
      return (Object.keys(mocks) as (keyof MockedSide)[]).flatMap((service) =>
        mocks[service].calls().map((call) => {
          const command = call.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
          return { side: name, service, name: command.constructor.name.replace(/Command$/, ''), input: command.input };
        }),
      );
    });
  return {
    clients: { source: source.clients, destination: destination.clients, isAws: true },
    source: source.mocks,
    destination: destination.mocks,
    sent,
    writes: () => sent().filter((command) => WRITE.test(command.name)),
  };
}

/** An S3 error as the SDK throws it after deserialising AWS's answer. */
export function s3Error(name: string, message: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

export function iamError(name: string, message: string, status: number): IAMServiceException {
  return new IAMServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
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

/** The ids of every change that (transitively) depends on `id`. */
export function dependantsOf(changes: readonly Change[], id: string): Set<string> {
  const found = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const change of changes) {
      if (!found.has(change.id) && change.dependsOn.some((dep) => dep === id || found.has(dep))) {
        found.add(change.id);
        grew = true;
      }
    }
  }
  return found;
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
