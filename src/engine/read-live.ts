import { likelyOwned } from '../aws/bucket-holder.js';
import type { AccountClients, AwsClients } from '../aws/clients.js';
import { readReaderPolicies } from '../aws/iam-principals.js';
import { readRole } from '../aws/iam-role.js';
import { readBucketSettings } from '../aws/s3-bucket.js';
import { readBucketPolicy } from '../aws/s3-policy.js';
import { readReplication } from '../aws/s3-replication.js';
import { InputError } from '../errors.js';
import { flagOf } from '../input/options.js';
import type { Accounts, SetupInput } from '../input/types.js';
import type { LiveBucket, LiveState } from '../plan/live.js';
import { readersNamedByStatements } from '../plan/named-readers.js';
import { legacyPolicyNames, type PrincipalRef, principalRef, roleArn, type SetupNames, setupNames } from '../plan/names.js';
import type { EventSink } from './events.js';
import { type BucketHolder, bucketRefused, read, readEarly, type StartedPreflight, startPreflight } from './preflight.js';
import { readLiveAlerts } from './read-alerts.js';
import { readExisting } from './read-existing.js';
import { readKmsKey } from './read-kms.js';

export interface LiveRead {
  accounts: Accounts;
  live: LiveState;
}

export interface ReadOptions {
  /** A preflight already under way (engine/setup.ts firstRead): the read goes on from it. */
  started?: StartedPreflight;
  /** Read this setup's Batch Replication parts even without --replicate-existing (teardown, status): read-existing.ts. */
  batchParts?: boolean;
}

/**
 * Preflight and live read in one: reads only, never writes. Every problem that is the input's fault (a bucket held by
 * somebody else, a user that does not exist) is collected and thrown as one InputError before any write can happen.
 * Two round trips: the preflight (identities, bucket holders, principals), then everything named by the setup's own
 * identifiers (which need the account ids). A bucket this process already knows to be ours (it read or created it)
 * has its details read in the first round trip, with the preflight.
 */
export async function readLiveState(input: SetupInput, clients: AwsClients, events: EventSink, options: ReadOptions = {}): Promise<LiveRead> {
  // A preflight already under way was announced by whoever started it (engine/setup.ts firstRead).
  if (!options.started) events({ type: 'phase', phase: 'read', message: 'Reading both accounts' });
  const started = options.started ?? startPreflight(input, clients);
  const details = {
    source: readEarly(likelyOwned(clients.source.s3, input.source.bucket), () => bucketDetails(clients.source, input.source.bucket)),
    destination: readEarly(likelyOwned(clients.destination.s3, input.destination.bucket), () => bucketDetails(clients.destination, input.destination.bucket)),
  };
  // Reads named by the setup's own identifiers wait only for the account ids (known at once on a process's second
  // read), not for the rest of the preflight.
  const named = started.accounts.then((accounts) => ({ accounts, names: setupNames(input, accounts), ourRole: roleArn(accounts.source, input.roleName) }));
  const legacy = legacyPolicyNames(input);
  const roleRead = named.then(({ names, ourRole }) =>
    read(clients.source, 'reading the replication role', () => readRole(clients.source.iam, ourRole, names.rolePolicy, legacy.rolePolicy)),
  );
  const policiesOf = (ref: PrincipalRef, names: SetupNames) =>
    read(clients.destination, `reading IAM ${ref.kind} ${ref.name}`, () =>
      readReaderPolicies(clients.destination.iam, ref, names.readerPolicy, legacy.readerPolicy),
    );
  // The tool's policies on each reader of the destination account, by the reader's ARN.
  const readerPolicies = named.then(
    async ({ accounts, names }) =>
      new Map(
        await Promise.all(
          input.authorizedUsers
            .map((user) => principalRef(user, accounts.destination))
            .filter((ref) => ref.accountId === accounts.destination)
            .map(async (ref) => [ref.arn, await policiesOf(ref, names)] as const),
        ),
      ),
  );
  const holders = started.preflight.then((first) => first.source);
  const batchRead = named.then(({ accounts }) =>
    readExisting(input, clients, accounts, holders, options.batchParts === undefined ? {} : { batchParts: options.batchParts }),
  );
  // Every early read's failure surfaces through the Promise.all below, or is moot after a failed preflight.
  for (const pending of [named, holders, roleRead, readerPolicies, batchRead]) pending.catch(() => undefined);
  const first = await started.preflight;
  const { accounts, problems } = first;
  const { names, ourRole } = await named;
  const policyName = names.rolePolicy;
  const detailsOf = async (side: 'source' | 'destination'): Promise<LiveBucket> => {
    const holder = first[side];
    // A bucket the input is wrong about (another region) is not read further: its refusal must not be hidden by a read.
    if (holder.ownership !== 'ours' || bucketRefused(side, problems)) return holder;
    return { ...holder, ...(await details[side]()) };
  };
  const sourceDetails = detailsOf('source');
  const destinationDetails = detailsOf('destination');
  // Each key read waits only for its own bucket (whose current default key it may keep), not for the rest.
  const kmsReads =
    input.encryption === 'sse-kms'
      ? Promise.all([
          sourceDetails.then((bucket) => readKmsKey(input, 'source', clients.source, accounts, bucket)),
          destinationDetails.then((bucket) => readKmsKey(input, 'destination', clients.destination, accounts, bucket)),
        ])
      : undefined;
  // Readers only this setup's statements name (the flags no longer give them): their policies are read with the source
  // bucket's policy, which names them, so teardown removes them too.
  const namedReads = sourceDetails.then((bucket) =>
    Promise.all(readersNamedByStatements({ input, accounts, names }, bucket.policy).map(async (ref) => ({ ...ref, ...(await policiesOf(ref, names)) }))),
  );
  // Failure alerts are read with the source bucket they notify from (see read-alerts.ts).
  const alertsRead = input.alerts ? sourceDetails.then((bucket) => readLiveAlerts(input, clients.source, accounts, bucket)) : undefined;
  const [source, destination, role, liveReaders, namedReaders, kmsRead, batch, alertRead] = await Promise.all([
    sourceDetails,
    destinationDetails,
    roleRead,
    readerPolicies.then((policies) =>
      // Policies are kept for readers that exist: a missing one has none, and its absence is a problem already.
      first.readers.map(({ ref, exists, actualArn }) => ({
        arn: ref.arn,
        exists,
        ...(exists && actualArn ? { actualArn } : {}),
        ...(exists ? policies.get(ref.arn) : {}),
      })),
    ),
    namedReads,
    kmsReads,
    batchRead,
    alertsRead,
  ]);
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
    live: {
      source,
      destination,
      role: replicationRole,
      readers: liveReaders,
      ...(namedReaders.length > 0 ? { namedReaders } : {}),
      ...(kms ? { kms } : {}),
      batch,
      ...(alerts ? { alerts } : {}),
    },
  };
}

/** Everything the plan compares about one of our buckets. */
async function bucketDetails(clients: AccountClients, bucket: string): Promise<Omit<LiveBucket, keyof BucketHolder>> {
  const [settings, policy, replication] = await Promise.all([
    read(clients, `reading the settings of ${bucket}`, () => readBucketSettings(clients.s3, bucket)),
    read(clients, `reading the policy of ${bucket}`, () => readBucketPolicy(clients.s3, bucket)),
    read(clients, `reading the replication of ${bucket}`, () => readReplication(clients.s3, bucket)),
  ]);
  return { ...settings, ...(policy ? { policy } : {}), ...(replication ? { replication } : {}) };
}
