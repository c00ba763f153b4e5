import * as ops from '../aws/catalogue.js';
import type { AwsClients } from '../aws/clients.js';
import { call, isErrorNamed } from '../aws/errors.js';
import { listInlinePolicies } from '../aws/inline-policies.js';
import { countVersions } from '../aws/s3-bucket.js';
import { send, sendAll } from '../aws/send.js';
import type { SetupInput } from '../input/types.js';
import type { Side } from '../plan/changes.js';
import type { LiveState } from '../plan/live.js';
import type { TeardownFacts, TeardownOptions } from '../plan/teardown.js';

/** How many other buckets' replication configurations are read at once when looking for the role's other users. */
const CONCURRENT_READS = 8;

/**
 * What teardown reads besides the setup's own live state, read-only: every policy on the role and the source
 * account's other buckets whose replication names it (a role in use is never deleted), and, with --delete-buckets,
 * how many object versions each bucket holds.
 */
export async function readTeardownFacts(input: SetupInput, clients: AwsClients, live: LiveState, options: TeardownOptions): Promise<TeardownFacts> {
  const { role } = live;
  const { iam, profile } = clients.source;
  const roleFacts =
    role.exists && role.createdByTool
      ? await call({ doing: `reading what else uses role ${role.name}`, profile }, async () => {
          const [inlinePolicies, attachedPolicies, namedByBuckets] = await Promise.all([
            listInlinePolicies(iam, { kind: 'role', name: role.name }),
            sendAll(iam, ops.iam.ListAttachedRolePolicies, { RoleName: role.name }, (page) =>
              (page.AttachedPolicies ?? []).flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])),
            ),
            bucketsReplicatingWith(clients, role.arn, input.source.bucket),
          ]);
          return { inlinePolicies, attachedPolicies, namedByBuckets };
        })
      : { inlinePolicies: [], attachedPolicies: [], namedByBuckets: [] };
  const versions: TeardownFacts['versions'] = {};
  if (options.deleteBuckets) {
    const count = (side: Side) =>
      live[side].ownership === 'ours'
        ? call({ doing: `counting the object versions of ${input[side].bucket}`, profile: clients[side].profile }, () =>
            countVersions(clients[side].s3, input[side].bucket),
          )
        : undefined;
    const [source, destination] = await Promise.all([count('source'), count('destination')]);
    if (source) versions.source = source;
    if (destination) versions.destination = destination;
  }
  return { role: roleFacts, versions };
}

/** The source account's other buckets whose replication configuration names this role. */
async function bucketsReplicatingWith(clients: AwsClients, roleArn: string, except: string): Promise<string[]> {
  const { s3 } = clients.source;
  const listed = await send(s3, ops.s3.ListBuckets, { MaxBuckets: 1000 });
  const names = (listed.Buckets ?? []).flatMap((b) => (b.Name && b.Name !== except ? [b.Name] : []));
  const using: string[] = [];
  for (let i = 0; i < names.length; i += CONCURRENT_READS) {
    const batch = names.slice(i, i + CONCURRENT_READS);
    const roles = await Promise.all(
      batch.map((Bucket) =>
        send(s3, ops.s3.GetBucketReplication, { Bucket }).then(
          (r) => r.ReplicationConfiguration?.Role,
          (error: unknown) => {
            // No configuration, or a bucket of another region we may not read: it does not name the role.
            if (isErrorNamed(error, 'ReplicationConfigurationNotFoundError', 'NoSuchBucket', 'AccessDenied', 'PermanentRedirect')) return undefined;
            throw error;
          },
        ),
      ),
    );
    using.push(...batch.filter((_, j) => roles[j] === roleArn));
  }
  return using;
}
