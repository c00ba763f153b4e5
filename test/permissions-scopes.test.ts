// `permissions --for status` and `--for jobs`, from the pure planner (no emulator): each scope's policy lists exactly
// the catalogue operations status/gather.ts and engine/jobs.ts send, on this setup's resources. And each scope's reads
// of the KMS keys a run creates, scoped as moto cannot check (test/permissions-enforced.test.ts proves the actions).
import { describe, expect, it } from 'vitest';
import { OPTION_TABLE } from '../src/input/option-table.js';
import type { SetupInput } from '../src/input/types.js';
import { planChanges } from '../src/kinds/planner.js';
import { PERMISSION_SCOPES, type PermissionScope, scopesFor, setupPolicies } from '../src/permissions/index.js';
import { alarmListingPrefix } from '../src/plan/alert-names.js';
import { batchNames } from '../src/plan/batch-documents.js';
import { defaultKeyAlias } from '../src/plan/key-policies.js';
import { setupIdOf } from '../src/plan/names.js';
import type { PreparedSetup } from '../src/plan/prepared.js';
import { SEED_ACCOUNTS, seedInput } from './support/fixtures.js';
import { freshLive } from './support/simulate.js';

const prepared = (input: SetupInput): PreparedSetup => {
  const live = freshLive(input, SEED_ACCOUNTS);
  return { input, accounts: SEED_ACCOUNTS, live, plan: planChanges(input, SEED_ACCOUNTS, live, { replicationEchoIsFaithful: true }) };
};

/** action → resources, for one side's policy. */
function grants(p: PreparedSetup, scope: PermissionScope, side: 'source' | 'destination'): Map<string, string[]> {
  const policy = setupPolicies(p, [scope]).find((x) => x.side === side)!.policy;
  const out = new Map<string, string[]>();
  for (const statement of policy.Statement) for (const action of statement.Action) out.set(action, [...(out.get(action) ?? []), ...statement.Resource].sort());
  return out;
}

describe('permissions --for status and --for jobs (pure)', () => {
  const input = seedInput({ prefix: 'incidents/' });
  const setupId = setupIdOf(input, SEED_ACCOUNTS);

  it('status: CloudWatch GetMetricData (any) and DescribeAlarms (this setup’s alarms), ListBucket and GetObject under the prefix', () => {
    const source = grants(prepared(input), 'status', 'source');
    expect(source.get('cloudwatch:GetMetricData')).toEqual(['*']);
    expect(source.get('cloudwatch:DescribeAlarms')).toEqual([`arn:aws:cloudwatch:ap-southeast-1:111111111111:alarm:${alarmListingPrefix(setupId)}*`]);
    expect(source.get('s3:ListBucket')).toEqual(['arn:aws:s3:::rubes-s3-bucket']);
    expect(source.get('s3:GetObject')).toEqual(['arn:aws:s3:::rubes-s3-bucket/incidents/*']);
    expect(source.get('s3:GetObjectVersion')).toEqual(['arn:aws:s3:::rubes-s3-bucket/incidents/*']);
    // It reads the setup as plan does: the replication configuration among the rest; it writes nothing.
    expect(source.get('s3:GetReplicationConfiguration')).toEqual(['arn:aws:s3:::rubes-s3-bucket']);
    for (const action of source.keys()) expect(action).not.toMatch(/:(Put|Create|Delete|Update|Set)/);
  });

  it('jobs: the batch role read first, s3:ListJobs (any), s3:DescribeJob on this account’s jobs, the completion report under the batch location; nothing in the destination', () => {
    const p = prepared(input);
    const source = grants(p, 'jobs', 'source');
    const { location } = batchNames(input, setupId);
    expect(source.get('s3:ListJobs')).toEqual(['*']);
    expect(source.get('s3:DescribeJob')).toEqual(['arn:aws:s3:ap-southeast-1:111111111111:job/*']);
    expect(source.get('s3:ListBucket')).toEqual([`arn:aws:s3:::${location.bucket}`]);
    expect(source.get('s3:GetObject')).toEqual([`arn:aws:s3:::${location.bucket}/${location.prefix}job-*/results/*`]);
    expect(source.get('iam:GetRole')).toEqual([`arn:aws:iam::111111111111:role/${batchNames(input, setupId).roleName}`]);
    expect([...source.keys()].sort()).toEqual(['iam:GetRole', 'iam:GetRolePolicy', 's3:DescribeJob', 's3:GetObject', 's3:ListBucket', 's3:ListJobs']);
    // sts:GetCallerIdentity needs no permission: the destination profile's policy is empty.
    expect(setupPolicies(p, ['jobs']).find((x) => x.side === 'destination')!.policy.Statement).toEqual([]);
  });

  it('--for all includes status and jobs; the option offers every scope and all', () => {
    expect(scopesFor('all')).toEqual(expect.arrayContaining(['status', 'jobs']));
    expect(OPTION_TABLE.for.choices).toEqual([...PERMISSION_SCOPES, 'all']);
    const all = grants(prepared(input), 'wizard', 'source');
    const everything = setupPolicies(prepared(input), scopesFor('all')).find((x) => x.side === 'source')!.policy;
    const actions = new Set(everything.Statement.flatMap((s) => s.Action));
    for (const action of ['cloudwatch:GetMetricData', 'cloudwatch:DescribeAlarms', 's3:ListJobs', 's3:DescribeJob', ...all.keys()])
      expect(actions).toContain(action);
  });
});

describe('permissions for sse-kms keys the run creates (pure)', () => {
  const input = seedInput({ encryption: 'sse-kms' });
  const withNewKeys = (): PreparedSetup => {
    const live = {
      ...freshLive(input, SEED_ACCOUNTS),
      kms: {
        source: { alias: defaultKeyAlias(input.source.bucket), foundBy: 'tool' as const },
        destination: { alias: defaultKeyAlias(input.destination.bucket), foundBy: 'tool' as const },
      },
    };
    return { input, accounts: SEED_ACCOUNTS, live, plan: planChanges(input, SEED_ACCOUNTS, live, { replicationEchoIsFaithful: true }) };
  };

  // Its ARN is unknown when the policy is printed; apply reads it back before writing its policy, the closing verify and
  // every later command read it again: the read is granted as the write is, on the key its alias names.
  it.each(PERMISSION_SCOPES.filter((scope) => scope !== 'jobs'))(
    '--for %s: kms:GetKeyPolicy on each new key, in the statement of kms:PutKeyPolicy (key/* of its account and region, kms:ResourceAliases its alias)',
    (scope) => {
      const p = withNewKeys();
      expect(p.plan.changes.filter((change) => change.kind === 'kms-key' && change.action === 'create')).toHaveLength(2);
      for (const side of ['source', 'destination'] as const) {
        const policy = setupPolicies(p, [scope]).find((x) => x.side === side)!.policy;
        const reads = policy.Statement.filter((s) => s.Action.includes('kms:GetKeyPolicy'));
        expect(reads).toEqual([
          expect.objectContaining({
            Resource: [`arn:aws:kms:${input[side].region}:${SEED_ACCOUNTS[side]}:key/*`],
            Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': defaultKeyAlias(input[side].bucket) } },
          }),
        ]);
        if (scope === 'wizard' || scope === 'teardown') expect(reads[0]!.Action).toContain('kms:PutKeyPolicy');
      }
    },
  );
});
