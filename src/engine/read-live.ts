import type { AccountClients, AwsClients } from '../aws/clients.js';
import { call } from '../aws/errors.js';
import { findPrincipal, readReader } from '../aws/iam-principals.js';
import { readRole } from '../aws/iam-role.js';
import { accountOf } from '../aws/identity.js';
import { bucketOwnership, readBucketSettings } from '../aws/s3-bucket.js';
import { readBucketPolicy } from '../aws/s3-policy.js';
import { readReplication } from '../aws/s3-replication.js';
import { InputError, type InputProblem } from '../errors.js';
import { credentialsPhrase } from '../input/credentials.js';
import { flagOf, problemAt, SIDE_OPTIONS } from '../input/options.js';
import type { Accounts, BucketSide, SetupInput } from '../input/types.js';
import { uploaderArn } from '../plan/documents.js';
import type { LiveBucket, LiveState } from '../plan/live.js';
import { legacyPolicyNames, principalRef, roleArn, setupNames } from '../plan/names.js';
import type { EventSink } from './events.js';
import { readLiveAlerts } from './read-alerts.js';
import { readExisting } from './read-existing.js';
import { readKmsKey } from './read-kms.js';

export interface LiveRead {
  accounts: Accounts;
  live: LiveState;
}

/**
 * Preflight and live read in one: reads only, never writes. Every problem that is the input's fault (a bucket held by
 * somebody else, a user that does not exist) is collected and thrown as one InputError before any write can happen.
 */
export async function readLiveState(input: SetupInput, clients: AwsClients, events: EventSink): Promise<LiveRead> {
  events({ type: 'phase', phase: 'read', message: 'Reading both accounts' });
  const holders = Promise.all([holderOf(clients.source, input.source.bucket), holderOf(clients.destination, input.destination.bucket)]);
  // Credentials are settled first, both sides: a profile without credentials fails every call, and the user should
  // hear "fix --source-profile" (and --dest-profile, if both), not whichever S3 call happened to fail first.
  holders.catch(() => undefined);
  const accounts = await identities(clients);
  const [sourceHolder, destinationHolder] = await holders;
  const sourceProblems = bucketProblems('source', input.source, sourceHolder, accounts.source);
  const destinationProblems = bucketProblems('destination', input.destination, destinationHolder, accounts.destination);
  const problems: InputProblem[] = [...sourceProblems, ...destinationProblems];

  const readers = input.authorizedUsers.map((user) => principalRef(user, accounts.destination));
  const uploaders = input.uploaders.map((uploader) => principalRef(uploaderArn(uploader, accounts.source), accounts.source));
  // A name and an ARN can only be seen to mean the same principal once the account is known.
  problems.push(...sameTwice('authorizedUser', readers), ...sameTwice('uploader', uploaders));
  const ourRole = roleArn(accounts.source, input.roleName);
  const names = setupNames(input, accounts);
  const legacy = legacyPolicyNames(input);
  const policyName = names.rolePolicy;
  // A bucket the input is wrong about (another region) is not read further: its refusal must not be hidden by a read.
  const sourceDetails: Promise<LiveBucket> = sourceProblems.length
    ? Promise.resolve(sourceHolder)
    : bucketDetails(clients.source, input.source.bucket, sourceHolder);
  const destinationDetails: Promise<LiveBucket> = destinationProblems.length
    ? Promise.resolve(destinationHolder)
    : bucketDetails(clients.destination, input.destination.bucket, destinationHolder);
  // Each key read waits only for its own bucket (whose current default key it may keep), not for the rest.
  const kmsReads =
    input.encryption === 'sse-kms'
      ? Promise.all([
          sourceDetails.then((bucket) => readKmsKey(input, 'source', clients.source, accounts, bucket)),
          destinationDetails.then((bucket) => readKmsKey(input, 'destination', clients.destination, accounts, bucket)),
        ])
      : undefined;
  // Failure alerts are read with the source bucket they notify from (see read-alerts.ts).
  const alertsRead = input.alerts ? sourceDetails.then((bucket) => readLiveAlerts(input, clients.source, accounts, bucket)) : undefined;
  const [source, destination, role, liveReaders, uploadersFound, kmsRead, batch, alertRead] = await Promise.all([
    sourceDetails,
    destinationDetails,
    read(clients.source, 'reading the replication role', () => readRole(clients.source.iam, ourRole, policyName, legacy.rolePolicy)),
    Promise.all(
      readers
        .filter((ref) => ref.accountId === accounts.destination)
        .map((ref) =>
          read(clients.destination, `reading IAM ${ref.kind} ${ref.name}`, () =>
            readReader(clients.destination.iam, ref, names.readerPolicy, legacy.readerPolicy),
          ),
        ),
    ),
    Promise.all(
      uploaders
        .filter((ref) => ref.accountId === accounts.source)
        .map(async (ref) => ({ ref, ...(await read(clients.source, `reading IAM ${ref.kind} ${ref.name}`, () => findPrincipal(clients.source.iam, ref))) })),
    ),
    kmsReads,
    sourceDetails.then((bucket) => readExisting(input, clients, accounts, bucket)),
    alertsRead,
  ]);
  for (const reader of liveReaders.filter((r) => !r.exists)) {
    problems.push(
      problemAt('authorizedUser', `${reader.arn} does not exist in account ${accounts.destination} (${credentialsPhrase(input.destination.profile)})`),
    );
  }
  // Policies name principals by ARN, path included: a bare name for a user under a path must be given as its ARN.
  for (const found of [
    ...liveReaders.map((r) => ({ option: 'authorizedUser' as const, arn: r.arn, actualArn: r.actualArn })),
    ...uploadersFound.map((u) => ({ option: 'uploader' as const, arn: u.ref.arn, actualArn: u.actualArn })),
  ]) {
    if (found.actualArn && found.actualArn !== found.arn) {
      problems.push(
        problemAt(
          found.option,
          `${found.arn.split('/').pop()} is ${found.actualArn} (under an IAM path): pass that full ARN, since policies name principals with their path`,
        ),
      );
    }
  }
  for (const { ref } of uploadersFound.filter((u) => !u.exists)) {
    const hint = input.uploaders.includes(ref.name) ? ' (a bare name means an IAM user; for a role, pass its ARN)' : '';
    problems.push(problemAt('uploader', `${ref.arn} does not exist in account ${accounts.source} (${credentialsPhrase(input.source.profile)})${hint}`));
  }
  for (const ref of uploaders.filter((u) => u.accountId !== accounts.source)) {
    problems.push(
      problemAt(
        'uploader',
        `${ref.arn} is not in the source account ${accounts.source}: uploaders are users or roles of the account that owns ${input.source.bucket}`,
      ),
    );
  }
  for (const { problems: keyProblems } of kmsRead ?? []) problems.push(...keyProblems);
  problems.push(...(alertRead?.problems ?? []));
  if (problems.length > 0) {
    const keyFlags = [flagOf('sourceKmsKey'), flagOf('destKmsKey')];
    const onlyKeys = problems.every((p) => keyFlags.includes(p.flag));
    throw new InputError(problems, onlyKeys ? 'KMS_KEY_INVALID' : 'INVALID_INPUT');
  }

  // A bucket has one replication role: when the source already replicates with another, that one is used.
  const existingRole = source.replication?.Role;
  const configuredRole =
    existingRole && existingRole !== ourRole
      ? await read(clients.source, 'reading the existing replication role', () => readRole(clients.source.iam, existingRole, policyName, legacy.rolePolicy))
      : undefined;
  // A configuration naming a role that no longer exists replicates nothing: the tool's own role (--role-name) takes over.
  const replicationRole = configuredRole?.exists ? configuredRole : role;
  const kms = kmsRead ? { source: kmsRead[0].key, destination: kmsRead[1].key } : undefined;
  const alerts = alertRead?.alerts;
  return {
    accounts,
    live: { source, destination, role: replicationRole, readers: liveReaders, ...(kms ? { kms } : {}), batch, ...(alerts ? { alerts } : {}) },
  };
}

function sameTwice(option: 'authorizedUser' | 'uploader', refs: { arn: string }[]): InputProblem[] {
  const arns = refs.map((ref) => ref.arn);
  return [...new Set(arns.filter((arn, i) => arns.indexOf(arn) !== i))].map((arn) =>
    problemAt(option, `gives ${arn} twice (by name and by ARN): give each principal once`),
  );
}

export async function identities(clients: AwsClients): Promise<Accounts> {
  const [source, destination] = await Promise.allSettled([
    whoAmI(clients.source, flagOf(SIDE_OPTIONS.source.profile)),
    whoAmI(clients.destination, flagOf(SIDE_OPTIONS.destination.profile)),
  ]);
  if (source.status === 'fulfilled' && destination.status === 'fulfilled') return { source: source.value, destination: destination.value };
  const failures = [source, destination].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const inputErrors = failures.filter((e): e is InputError => e instanceof InputError);
  // A profile that cannot sign is the input's fault and is reported as such, even when the other side's failure is
  // of another kind (it would only recur once the credentials are fixed).
  if (inputErrors.length > 0)
    throw new InputError(
      inputErrors.flatMap((e) => e.problems),
      'NO_CREDENTIALS',
    );
  throw failures[0];
}

async function whoAmI(clients: AccountClients, flag: string): Promise<string> {
  try {
    return await call({ doing: 'identifying the account (sts:GetCallerIdentity)', profile: clients.profile }, () => accountOf(clients.sts));
  } catch (error) {
    if (error instanceof InputError) throw error;
    const translated = error as { code?: string; message?: string; remedy?: string };
    if (translated.code === 'NO_CREDENTIALS') {
      throw new InputError([{ flag, message: `${translated.message} ${translated.remedy ?? ''}`.trim() }], 'NO_CREDENTIALS');
    }
    throw error;
  }
}

/** A read whose failure says what the tool was doing; the failed call itself names the permission it needed. */
const read = <T>(clients: AccountClients, doing: string, run: () => Promise<T>): Promise<T> => call({ doing, profile: clients.profile }, run);

const holderOf = (clients: AccountClients, bucket: string): Promise<Pick<LiveBucket, 'ownership' | 'region'>> =>
  read(clients, `checking bucket ${bucket}`, () => bucketOwnership(clients.s3, bucket));

function bucketProblems(side: 'source' | 'destination', wanted: BucketSide, holder: Pick<LiveBucket, 'ownership' | 'region'>, account: string): InputProblem[] {
  const keys = SIDE_OPTIONS[side];
  if (holder.ownership === 'foreign') {
    return [
      problemAt(
        keys.bucket,
        `bucket "${wanted.bucket}" already exists and belongs to another account than ${account} (${credentialsPhrase(wanted.profile)}); bucket names are global, choose another name`,
      ),
    ];
  }
  if (holder.ownership === 'ours' && holder.region !== wanted.region) {
    return [
      problemAt(
        keys.region,
        `bucket "${wanted.bucket}" already exists in ${holder.region}, not ${wanted.region}: pass ${flagOf(keys.region)} ${holder.region} or choose another bucket name`,
      ),
    ];
  }
  return [];
}

async function bucketDetails(clients: AccountClients, bucket: string, holder: Pick<LiveBucket, 'ownership' | 'region'>): Promise<LiveBucket> {
  if (holder.ownership !== 'ours') return holder;
  const [settings, policy, replication] = await Promise.all([
    read(clients, `reading the settings of ${bucket}`, () => readBucketSettings(clients.s3, bucket)),
    read(clients, `reading the policy of ${bucket}`, () => readBucketPolicy(clients.s3, bucket)),
    read(clients, `reading the replication of ${bucket}`, () => readReplication(clients.s3, bucket)),
  ]);
  return { ...holder, ...settings, ...(policy ? { policy } : {}), ...(replication ? { replication } : {}) };
}
