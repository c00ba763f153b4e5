// planChanges: nothing there → everything is created; what a run left behind → nothing to do; drift → exactly the
// drifted steps are updated, with the user's own additions kept.
import { describe, expect, it } from 'vitest';
import type { Accounts, SetupInput } from '../src/input/types.js';
import { planChanges } from '../src/kinds/planner.js';
import type { Change } from '../src/plan/changes.js';
import type { PlanOptions } from '../src/plan/context.js';
import { REPLICATION_TRUST_POLICY, replicationRolePolicy } from '../src/plan/documents.js';
import type { LiveState } from '../src/plan/live.js';
import type { PolicyStatement } from '../src/plan/policy-types.js';
import { SAME_ACCOUNT, SEED_ACCOUNTS, seedContext, seedInput } from './support/fixtures.js';
import { AWS, actions, change, changed, MOTO } from './support/plan.js';
import { freshLive, liveAfterApply, motoEcho } from './support/simulate.js';

const INPUTS: { name: string; input: SetupInput; accounts: Accounts }[] = [
  { name: 'the seed', input: seedInput(), accounts: SEED_ACCOUNTS },
  { name: 'no authorised users', input: seedInput({ authorizedUsers: [] }), accounts: SEED_ACCOUNTS },
  { name: 'one account both sides', input: seedInput(), accounts: SAME_ACCOUNT },
  {
    name: 'prefix, no RTC, no delete markers',
    input: seedInput({ prefix: 'incidents/', rtc: false, deleteMarkerReplication: false }),
    accounts: SEED_ACCOUNTS,
  },
  { name: 'uploaders and a storage class', input: seedInput({ uploaders: ['alice', 'bob'], storageClass: 'STANDARD_IA' }), accounts: SEED_ACCOUNTS },
  { name: 'the log-backup preset', input: seedInput({ preset: 'log-backup', authorizedUsers: [] }), accounts: SEED_ACCOUNTS },
  {
    name: 'two readers, one by ARN in a third account',
    input: seedInput({ authorizedUsers: ['tom-cruise', 'arn:aws:iam::333333333333:user/auditor'] }),
    accounts: SEED_ACCOUNTS,
  },
];

describe.each(INPUTS)('planChanges for $name', ({ input, accounts }) => {
  const fresh = freshLive(input, accounts);
  const first = planChanges(input, accounts, fresh, AWS);

  it('creates everything when nothing exists', () => {
    expect(first.changes.length).toBeGreaterThan(0);
    expect(first.changes.filter((c) => c.action !== 'create')).toEqual([]);
  });

  it('has unique step ids and dependencies only on steps of the plan', () => {
    const ids = first.changes.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of first.changes) for (const dep of c.dependsOn) expect(ids, `${c.id} depends on ${dep}`).toContain(dep);
  });

  it.each([
    ['AWS', AWS, (c: Parameters<typeof motoEcho>[0]) => structuredClone(c)],
    ['moto', MOTO, motoEcho],
  ] as const)('has nothing to do once applied, as %s reads it back', (_name, options, echo) => {
    const after = liveAfterApply(planChanges(input, accounts, fresh, options), fresh, echo);
    const second = planChanges(input, accounts, after, options);
    expect(changed(second)).toEqual([]);
    expect(second.changes.map((c) => c.id)).toEqual(first.changes.map((c) => c.id));
  });
});

describe('planChanges on a fresh seed', () => {
  const plan = planChanges(seedInput(), SEED_ACCOUNTS, freshLive(seedInput(), SEED_ACCOUNTS), AWS);

  it('plans every step of the walkthrough, in its account', () => {
    expect(plan.changes.map((c) => [c.id, c.side])).toEqual([
      ['source-bucket', 'source'],
      ['source-public-access-block', 'source'],
      ['source-encryption', 'source'],
      ['source-versioning', 'source'],
      ['destination-bucket', 'destination'],
      ['destination-public-access-block', 'destination'],
      ['destination-encryption', 'destination'],
      ['destination-ownership', 'destination'],
      ['destination-versioning', 'destination'],
      ['replication-role', 'source'],
      ['replication-role-policy', 'source'],
      ['destination-bucket-policy', 'destination'],
      ['replication-configuration', 'source'],
      ['source-bucket-policy', 'source'],
      ['reader-policy:tom-cruise', 'destination'],
    ]);
  });

  it('creates the buckets in their regions with full Block Public Access, SSE-S3 and BucketOwnerEnforced', () => {
    expect(change(plan, 'source-bucket')).toMatchObject({ bucket: 'rubes-s3-bucket', region: 'ap-southeast-1' });
    expect(change(plan, 'destination-bucket')).toMatchObject({ bucket: 'clint-s3-bucket', region: 'ap-southeast-2' });
    for (const side of ['source', 'destination']) {
      expect(change(plan, `${side}-public-access-block`)).toMatchObject({
        after: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      });
      expect(change(plan, `${side}-encryption`)).toMatchObject({ after: { algorithm: 'AES256' } });
      expect(change(plan, `${side}-versioning`)).toMatchObject({ after: 'Enabled' });
    }
    expect(change(plan, 'destination-ownership')).toMatchObject({ after: 'BucketOwnerEnforced' });
  });

  it('lets the role start with the buckets, and replication wait for what it needs', () => {
    expect(change(plan, 'replication-role').dependsOn).toEqual([]);
    expect(change(plan, 'replication-configuration').dependsOn.sort()).toEqual(
      ['destination-bucket-policy', 'destination-versioning', 'replication-role-policy', 'source-versioning'].sort(),
    );
  });

  it('writes the rule with priority 1 under our role', () => {
    const replication = change(plan, 'replication-configuration');
    if (replication.kind !== 'replication') throw new Error('not a replication change');
    expect(replication.configuration.Role).toBe('arn:aws:iam::111111111111:role/s3_replication_role');
    expect(replication.configuration.Rules.map((r) => r.Priority)).toEqual([1]);
  });
});

describe('planChanges with drift', () => {
  const input = seedInput();
  const fresh = freshLive(input, SEED_ACCOUNTS);
  const applied = liveAfterApply(planChanges(input, SEED_ACCOUNTS, fresh, AWS), fresh);
  const userStatement: PolicyStatement = {
    Sid: 'PartnerAudit',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::333333333333:root' },
    Action: 's3:ListBucket',
    Resource: 'arn:aws:s3:::rubes-s3-bucket',
  };
  const drift = (mutate: (live: LiveState) => void): LiveState => {
    const live = structuredClone(applied);
    mutate(live);
    return live;
  };

  const CASES: { name: string; live: LiveState; input?: SetupInput; options?: PlanOptions; updated: Record<string, Change['action']> }[] = [
    { name: 'versioning suspended', live: drift((l) => void (l.source.versioning = 'Suspended')), updated: { 'source-versioning': 'update' } },
    {
      name: 'one Block Public Access flag off',
      live: drift((l) => void (l.destination.publicAccessBlock = { ...l.destination.publicAccessBlock!, RestrictPublicBuckets: false })),
      updated: { 'destination-public-access-block': 'update' },
    },
    {
      name: 'object ownership changed to ObjectWriter',
      live: drift((l) => void (l.destination.objectOwnership = 'ObjectWriter')),
      updated: { 'destination-ownership': 'update' },
    },
    { name: 'Block Public Access removed', live: drift((l) => void delete l.source.publicAccessBlock), updated: { 'source-public-access-block': 'create' } },
    {
      name: 'trust policy no longer trusts S3',
      live: drift(
        (l) =>
          void (l.role.trustPolicy = {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          }),
      ),
      updated: { 'replication-role': 'update' },
    },
    {
      name: 'role policy widened to s3:*',
      live: drift((l) => void (l.role.inlinePolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] })),
      updated: { 'replication-role-policy': 'update' },
    },
    { name: 'role policy removed', live: drift((l) => void delete l.role.inlinePolicy), updated: { 'replication-role-policy': 'create' } },
    {
      name: 'our destination statement edited, a user statement added',
      live: drift((l) => {
        const [first, ...rest] = l.destination.policy!.Statement;
        l.destination.policy = {
          Version: '2012-10-17',
          Statement: [{ ...first!, Principal: { AWS: 'arn:aws:iam::111111111111:role/impostor' } }, ...rest, userStatement],
        };
      }),
      updated: { 'destination-bucket-policy': 'update' },
    },
    {
      name: 'our rule disabled by hand',
      live: drift((l) => void (l.source.replication!.Rules[0]!.Status = 'Disabled')),
      updated: { 'replication-configuration': 'update' },
    },
    { name: 'replication removed', live: drift((l) => void delete l.source.replication), updated: { 'replication-configuration': 'create' } },
    { name: 'reader policy removed', live: drift((l) => void delete l.readers[0]!.policy), updated: { 'reader-policy:tom-cruise': 'create' } },
    { name: 'RTC turned off in the input', live: applied, input: seedInput({ rtc: false }), updated: { 'replication-configuration': 'update' } },
    {
      name: 'prefix changed in the input, read back by moto (the ID fingerprint tells)',
      live: drift((l) => void (l.source.replication = motoEcho(l.source.replication!))),
      input: seedInput({ prefix: 'incidents/' }),
      options: MOTO,
      updated: { 'replication-configuration': 'update' },
    },
    {
      name: 'delete markers turned off in the input, read back by moto',
      live: drift((l) => void (l.source.replication = motoEcho(l.source.replication!))),
      input: seedInput({ deleteMarkerReplication: false }),
      options: MOTO,
      updated: { 'replication-configuration': 'update' },
    },
    {
      name: 'the readers removed from the input: our statements go, the policy with them',
      live: applied,
      input: seedInput({ authorizedUsers: [] }),
      updated: { 'source-bucket-policy': 'delete' },
    },
  ];

  it.each(CASES)('$name: only that step changes', ({ live, input: wanted = input, options = AWS, updated }) => {
    const plan = planChanges(wanted, SEED_ACCOUNTS, live, options);
    const expected = Object.fromEntries(plan.changes.map((c) => [c.id, updated[c.id] ?? 'no-op']));
    expect(actions(plan)).toEqual(expected);
    for (const id of Object.keys(updated)) expect(plan.changes.map((c) => c.id)).toContain(id);
  });

  it('keeps other trust statements and adds the documented S3 one', () => {
    const ec2 = { Effect: 'Allow' as const, Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    const plan = planChanges(
      input,
      SEED_ACCOUNTS,
      drift((l) => void (l.role.trustPolicy = { Version: '2012-10-17', Statement: [ec2] })),
      AWS,
    );
    expect(change(plan, 'replication-role')).toMatchObject({ trustPolicy: { Statement: [ec2, ...REPLICATION_TRUST_POLICY.Statement] } });
  });

  it('rewrites a widened role policy to exactly the documented one', () => {
    const plan = planChanges(
      input,
      SEED_ACCOUNTS,
      drift((l) => void (l.role.inlinePolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] })),
      AWS,
    );
    expect(change(plan, 'replication-role-policy')).toMatchObject({ document: replicationRolePolicy(seedContext()) });
  });

  it("treats the user's additions as no drift: a statement in the source policy, a rule of their own", () => {
    const live = drift((l) => {
      l.source.policy!.Statement.push(userStatement);
      l.source.replication!.Rules.push({
        ID: 'their-backup',
        Priority: 9,
        Status: 'Enabled',
        Filter: { Prefix: 'logs/' },
        DeleteMarkerReplication: { Status: 'Disabled' },
        Destination: { Bucket: 'arn:aws:s3:::their-backup' },
      });
    });
    expect(changed(planChanges(input, SEED_ACCOUNTS, live, AWS))).toEqual([]);
  });

  it('removing the readers keeps the user statements of the source policy', () => {
    const live = drift((l) => void l.source.policy!.Statement.push(userStatement));
    const plan = planChanges(seedInput({ authorizedUsers: [] }), SEED_ACCOUNTS, live, AWS);
    expect(change(plan, 'source-bucket-policy')).toMatchObject({ action: 'update', document: { Statement: [userStatement] } });
  });

  it('keeps default encryption the user chose, and says so', () => {
    const plan = planChanges(
      input,
      SEED_ACCOUNTS,
      drift((l) => void (l.source.encryption = { algorithm: 'aws:kms', kmsKeyId: 'alias/partner' })),
      AWS,
    );
    expect(change(plan, 'source-encryption')).toMatchObject({ action: 'no-op', note: 'already aws:kms' });
  });
});
