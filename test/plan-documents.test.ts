// The documents the tool writes are exactly the ones AWS documents for cross-account replication: no wildcard actions,
// no extra trust conditions, resources limited to the two buckets.
import { describe, expect, it } from 'vitest';
import {
  destinationPolicyStatements,
  REPLICATION_TRUST_POLICY,
  readerIdentityPolicy,
  replicationRolePolicy,
  sourcePolicyStatements,
} from '../src/plan/documents.js';
import { isRuleOfSetup, setupIdOf } from '../src/plan/names.js';
import type { PolicyStatement } from '../src/plan/policy-types.js';
import { replicationRules } from '../src/plan/replication-rules.js';
import { pairSid, SAME_ACCOUNT, SEED_ACCOUNTS, SEED_ROLE_ARN, seedContext, seedInput, seedNames } from './support/fixtures.js';

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? [...value] : [value]);
const actionsOf = (statements: PolicyStatement[]): string[] => statements.flatMap((s) => list(s.Action)).sort();
const resourcesOf = (statements: PolicyStatement[]): string[] => [...new Set(statements.flatMap((s) => list(s.Resource)))].sort();

const DOCUMENTED_ROLE_ACTIONS = [
  's3:GetObjectVersionAcl',
  's3:GetObjectVersionForReplication',
  's3:GetObjectVersionTagging',
  's3:GetReplicationConfiguration',
  's3:ListBucket',
  's3:ObjectOwnerOverrideToBucketOwner',
  's3:ReplicateDelete',
  's3:ReplicateObject',
  's3:ReplicateTags',
];

describe('trust policy of the replication role', () => {
  it('is exactly the documented one: s3.amazonaws.com may assume the role, with no condition', () => {
    expect(REPLICATION_TRUST_POLICY).toStrictEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });
});

// Everything that changes the rule must leave the role's least-privilege policy alone (sse-s3 throughout).
const ROLE_POLICY_CASES = [
  { name: 'the seed', input: seedInput(), accounts: SEED_ACCOUNTS },
  { name: 'a prefix', input: seedInput({ prefix: 'incidents/' }), accounts: SEED_ACCOUNTS },
  { name: 'no RTC, no delete markers', input: seedInput({ rtc: false, deleteMarkerReplication: false }), accounts: SEED_ACCOUNTS },
  { name: 'no readers', input: seedInput({ authorizedUsers: [] }), accounts: SEED_ACCOUNTS },
  { name: 'one account both sides', input: seedInput(), accounts: SAME_ACCOUNT },
  { name: 'a storage class', input: seedInput({ storageClass: 'STANDARD_IA' }), accounts: SEED_ACCOUNTS },
  {
    name: 'other bucket names',
    input: seedInput({ source: { profile: 'p', region: 'us-east-1', bucket: 'a.b-c' }, destination: { profile: 'q', region: 'eu-west-1', bucket: 'd-e.f' } }),
    accounts: SEED_ACCOUNTS,
  },
];

describe('inline policy of the replication role', () => {
  it.each(ROLE_POLICY_CASES)('has exactly the documented actions on exactly the two buckets ($name)', ({ input, accounts }) => {
    const policy = replicationRolePolicy(seedContext(input, accounts));
    const src = `arn:aws:s3:::${input.source.bucket}`;
    const dst = `arn:aws:s3:::${input.destination.bucket}`;
    expect(policy.Version).toBe('2012-10-17');
    expect(actionsOf(policy.Statement)).toEqual(DOCUMENTED_ROLE_ACTIONS);
    expect(resourcesOf(policy.Statement)).toEqual([src, `${src}/*`, `${dst}/*`].sort());
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Principal, 'an identity policy names no principal').toBeUndefined();
      expect(statement.NotAction).toBeUndefined();
      expect(statement.NotResource).toBeUndefined();
      for (const action of list(statement.Action)) expect(action).not.toContain('*');
      for (const resource of list(statement.Resource)) expect(resource).not.toBe('*');
    }
  });

  it('puts each action on the resource it acts on', () => {
    const input = seedInput();
    const byResource = Object.fromEntries(replicationRolePolicy(seedContext()).Statement.map((s) => [list(s.Resource).join(','), list(s.Action).sort()]));
    expect(byResource).toEqual({
      [`arn:aws:s3:::${input.source.bucket}`]: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
      [`arn:aws:s3:::${input.source.bucket}/*`]: ['s3:GetObjectVersionAcl', 's3:GetObjectVersionForReplication', 's3:GetObjectVersionTagging'],
      [`arn:aws:s3:::${input.destination.bucket}/*`]: ['s3:ObjectOwnerOverrideToBucketOwner', 's3:ReplicateDelete', 's3:ReplicateObject', 's3:ReplicateTags'],
    });
  });
});

describe('destination bucket policy statements', () => {
  it('let the replication role write replicas and read/set versioning, nothing else', () => {
    const statements = destinationPolicyStatements(seedContext());
    expect(statements).toStrictEqual([
      {
        Sid: pairSid('rubes-s3-bucket', 'clint-s3-bucket', 'Replicas'),
        Effect: 'Allow',
        Principal: { AWS: SEED_ROLE_ARN },
        Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner'],
        Resource: 'arn:aws:s3:::clint-s3-bucket/*',
      },
      {
        Sid: pairSid('rubes-s3-bucket', 'clint-s3-bucket', 'Versioning'),
        Effect: 'Allow',
        Principal: { AWS: SEED_ROLE_ARN },
        Action: ['s3:GetBucketVersioning', 's3:PutBucketVersioning'],
        Resource: 'arn:aws:s3:::clint-s3-bucket',
      },
    ]);
  });

  it('name the role the bucket already replicates with, when that is not ours', () => {
    const other = 'arn:aws:iam::111111111111:role/service-role/existing-replication';
    const statements = destinationPolicyStatements({ ...seedContext(), replicationRoleArn: other });
    expect(statements.map((s) => s.Principal)).toEqual([{ AWS: other }, { AWS: other }]);
  });

  it('are not needed inside one account (the role policy is enough)', () => {
    expect(destinationPolicyStatements(seedContext(seedInput(), SAME_ACCOUNT))).toEqual([]);
  });
});

describe('source bucket policy statements', () => {
  const READER_CASES = [
    { name: 'a user name, in the destination account', users: ['tom-cruise'], principals: ['arn:aws:iam::222222222222:user/tom-cruise'] },
    {
      name: 'two users',
      users: ['tom-cruise', 'arn:aws:iam::222222222222:user/ops/clint-eastwood'],
      principals: ['arn:aws:iam::222222222222:user/tom-cruise', 'arn:aws:iam::222222222222:user/ops/clint-eastwood'],
    },
    { name: 'a role ARN in a third account', users: ['arn:aws:iam::333333333333:role/auditor'], principals: ['arn:aws:iam::333333333333:role/auditor'] },
  ];

  it.each(READER_CASES)('let exactly the authorised principals list and read ($name)', ({ users, principals }) => {
    const statements = sourcePolicyStatements(seedContext(seedInput({ authorizedUsers: users })));
    expect(statements).toStrictEqual([
      {
        Sid: pairSid('rubes-s3-bucket', 'clint-s3-bucket', 'AuthorizedList'),
        Effect: 'Allow',
        Principal: { AWS: principals },
        Action: ['s3:ListBucket'],
        Resource: 'arn:aws:s3:::rubes-s3-bucket',
      },
      {
        Sid: pairSid('rubes-s3-bucket', 'clint-s3-bucket', 'AuthorizedRead'),
        Effect: 'Allow',
        Principal: { AWS: principals },
        Action: ['s3:GetObject'],
        Resource: 'arn:aws:s3:::rubes-s3-bucket/*',
      },
    ]);
  });

  it('are empty without authorised users (nobody is named)', () => {
    expect(sourcePolicyStatements(seedContext(seedInput({ authorizedUsers: [] })))).toEqual([]);
  });
});

describe('identity policy of an authorised user', () => {
  it('allows the same reads on the source and the destination bucket, nothing else', () => {
    expect(readerIdentityPolicy(seedContext())).toStrictEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ListReplicatedBuckets',
          Effect: 'Allow',
          Action: ['s3:ListBucket'],
          Resource: ['arn:aws:s3:::rubes-s3-bucket', 'arn:aws:s3:::clint-s3-bucket'],
        },
        {
          Sid: 'ReadReplicatedObjects',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: ['arn:aws:s3:::rubes-s3-bucket/*', 'arn:aws:s3:::clint-s3-bucket/*'],
        },
      ],
    });
  });
});

describe('replication rule', () => {
  const [seedRule] = replicationRules(seedContext());

  it('is the V2 rule of the walkthrough: whole bucket, delete markers, destination account, owner override, RTC 15 min', () => {
    expect(seedRule).toStrictEqual({
      ID: expect.stringMatching(new RegExp(`^replicate-setup:clint-s3-bucket:${seedNames().setupId}@[0-9a-f]{8}$`)),
      Status: 'Enabled',
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Enabled' },
      Destination: {
        Bucket: 'arn:aws:s3:::clint-s3-bucket',
        Account: '222222222222',
        AccessControlTranslation: { Owner: 'Destination' },
        ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
        Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
      },
    });
    expect(isRuleOfSetup(seedNames().setupId, seedRule!.ID)).toBe(true);
  });

  const VARIANTS = [
    {
      name: '--prefix incidents/',
      input: seedInput({ prefix: 'incidents/' }),
      accounts: SEED_ACCOUNTS,
      expected: { Filter: { Prefix: 'incidents/' } },
      sameId: false,
    },
    {
      name: '--no-delete-marker-replication',
      input: seedInput({ deleteMarkerReplication: false }),
      accounts: SEED_ACCOUNTS,
      expected: { DeleteMarkerReplication: { Status: 'Disabled' } },
      sameId: false,
    },
    {
      name: '--no-rtc',
      input: seedInput({ rtc: false }),
      accounts: SEED_ACCOUNTS,
      expected: { Destination: { Bucket: 'arn:aws:s3:::clint-s3-bucket', Account: '222222222222', AccessControlTranslation: { Owner: 'Destination' } } },
      sameId: true,
    },
    {
      name: 'one account both sides',
      input: seedInput(),
      accounts: SAME_ACCOUNT,
      expected: {
        Destination: {
          Bucket: 'arn:aws:s3:::clint-s3-bucket',
          ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
          Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
        },
      },
      sameId: true,
    },
    {
      name: '--storage-class GLACIER_IR',
      input: seedInput({ storageClass: 'GLACIER_IR', rtc: false }),
      accounts: SEED_ACCOUNTS,
      expected: {
        Destination: {
          Bucket: 'arn:aws:s3:::clint-s3-bucket',
          Account: '222222222222',
          AccessControlTranslation: { Owner: 'Destination' },
          StorageClass: 'GLACIER_IR',
        },
      },
      sameId: true,
    },
  ];

  it.each(VARIANTS)('follows $name', ({ input, accounts, expected, sameId }) => {
    const rules = replicationRules(seedContext(input, accounts));
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject(expected);
    expect(rules[0]!.Destination).toStrictEqual(expected.Destination ?? seedRule!.Destination);
    // The ID carries a fingerprint of what the rule selects, so an emulator that does not echo the filter still shows change.
    const fingerprint = (id: string): string | undefined => id.split('@')[1];
    expect(fingerprint(rules[0]!.ID) === fingerprint(seedRule!.ID)).toBe(sameId);
    expect(rules[0]!.Priority, 'priority is given by the merge').toBeUndefined();
  });

  it('is one rule per uploader, each under its own prefix', () => {
    const rules = replicationRules(seedContext(seedInput({ uploaders: ['alice', 'arn:aws:iam::111111111111:role/loader'], prefix: 'in/' })));
    expect(rules.map((r) => [r.ID.split('@')[0], r.Filter])).toEqual([
      [`replicate-setup:clint-s3-bucket:${seedNames().setupId}:alice`, { Prefix: 'in/alice/' }],
      [`replicate-setup:clint-s3-bucket:${seedNames().setupId}:loader`, { Prefix: 'in/loader/' }],
    ]);
    expect(rules.every((r) => isRuleOfSetup(seedNames().setupId, r.ID))).toBe(true);
    const another = setupIdOf(seedInput({ destination: { profile: 'abcd', region: 'ap-southeast-2', bucket: 'another-bucket' } }), SEED_ACCOUNTS);
    expect(rules.some((r) => isRuleOfSetup(another, r.ID))).toBe(false);
  });
});
