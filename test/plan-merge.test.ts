// Merge, never clobber: the user's statements, rules and priorities survive; only the tool's own are replaced.
import { describe, expect, it } from 'vitest';
import { destinationPolicyStatements, sourcePolicyStatements } from '../src/plan/documents.js';
import { mergePolicyStatements, mergeReplicationRules, type ReplicationConfiguration } from '../src/plan/merge.js';
import { SID_PREFIX } from '../src/plan/names.js';
import { bucketStatementOwner, ruleOwner } from '../src/plan/ownership.js';
import type { PolicyDocument, PolicyStatement } from '../src/plan/policy-types.js';
import { type ReplicationRule, replicationRules } from '../src/plan/replication-rules.js';
import { pairSid, SEED_ROLE_ARN, seedContext, seedInput } from './support/fixtures.js';

const ownsSid = (statement: PolicyStatement): boolean => !!statement.Sid && statement.Sid.startsWith(SID_PREFIX);

const userStatement: PolicyStatement = {
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::rubes-s3-bucket', 'arn:aws:s3:::rubes-s3-bucket/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const unnamedUserStatement: PolicyStatement = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::333333333333:root' },
  Action: 's3:ListBucket',
  Resource: 'arn:aws:s3:::rubes-s3-bucket',
};
const staleOurs: PolicyStatement = {
  Sid: pairSid('rubes-s3-bucket', 'clint-s3-bucket', 'AuthorizedRead'),
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::222222222222:user/someone-removed' },
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::rubes-s3-bucket/*',
};
const ours = sourcePolicyStatements(seedContext());

describe('mergePolicyStatements', () => {
  const CASES: { name: string; existing: PolicyDocument | undefined; ours: PolicyStatement[]; expected: PolicyDocument | undefined }[] = [
    { name: 'no policy yet: ours alone', existing: undefined, ours, expected: { Version: '2012-10-17', Statement: ours } },
    {
      name: "the user's statements (with and without Sid) survive, first and unchanged",
      existing: { Version: '2012-10-17', Statement: [userStatement, unnamedUserStatement] },
      ours,
      expected: { Version: '2012-10-17', Statement: [userStatement, unnamedUserStatement, ...ours] },
    },
    {
      name: 'our earlier statements are replaced, not duplicated',
      existing: { Version: '2012-10-17', Statement: [staleOurs, userStatement, ours[0]!] },
      ours,
      expected: { Version: '2012-10-17', Statement: [userStatement, ...ours] },
    },
    {
      name: 'the policy Id is kept',
      existing: { Version: '2012-10-17', Id: 'CompanyPolicy', Statement: [userStatement] },
      ours,
      expected: { Version: '2012-10-17', Id: 'CompanyPolicy', Statement: [userStatement, ...ours] },
    },
    {
      name: 'nothing of ours left and the user has statements: theirs only',
      existing: { Version: '2012-10-17', Statement: [userStatement, staleOurs] },
      ours: [],
      expected: { Version: '2012-10-17', Statement: [userStatement] },
    },
    { name: 'nothing left at all: no policy (it is deleted)', existing: { Version: '2012-10-17', Statement: [staleOurs] }, ours: [], expected: undefined },
    { name: 'nothing before, nothing of ours: no policy', existing: undefined, ours: [], expected: undefined },
  ];

  it.each(CASES)('$name', ({ existing, ours: mine, expected }) => {
    const merged = mergePolicyStatements(existing, mine, ownsSid);
    expect(merged).toStrictEqual(expected);
    // Idempotent: merging into the merged result changes nothing.
    expect(mergePolicyStatements(merged, mine, ownsSid)).toStrictEqual(expected);
  });

  it("replaces only this source's statements in a destination policy shared by several sources", () => {
    const fromOther = destinationPolicyStatements(seedContext(seedInput({ source: { profile: 'xyz', region: 'ap-southeast-1', bucket: 'other-source' } })));
    const fromSeed = destinationPolicyStatements(seedContext());
    const ownsSeed = bucketStatementOwner(seedContext(), 'destination');
    const existing: PolicyDocument = { Version: '2012-10-17', Statement: [...fromOther, userStatement] };
    const merged = mergePolicyStatements(existing, fromSeed, ownsSeed);
    expect(merged?.Statement).toStrictEqual([...fromOther, userStatement, ...fromSeed]);
    expect(mergePolicyStatements(merged, fromSeed, ownsSeed)).toStrictEqual(merged);
  });
});

const owns = ruleOwner(seedContext());
const [ourRule] = replicationRules(seedContext());
const [ourPrefixedRule] = replicationRules(seedContext(seedInput({ prefix: 'incidents/' })));

const userRule = (id: string, priority: number, prefix = `${id}/`): ReplicationRule => ({
  ID: id,
  Priority: priority,
  Status: 'Enabled',
  Filter: { Prefix: prefix },
  DeleteMarkerReplication: { Status: 'Disabled' },
  Destination: { Bucket: 'arn:aws:s3:::backup-bucket' },
});
const userRole = 'arn:aws:iam::111111111111:role/their-role';
const config = (rules: ReplicationRule[], role = userRole): ReplicationConfiguration => ({ Role: role, Rules: rules });

const prioritiesOf = (configuration: ReplicationConfiguration): Record<string, number | undefined> =>
  Object.fromEntries(configuration.Rules.map((rule) => [rule.ID, rule.Priority]));

describe('mergeReplicationRules', () => {
  const CASES: { name: string; existing: ReplicationConfiguration | undefined; expected: Record<string, number | undefined> }[] = [
    { name: 'no configuration yet: our rule gets priority 1', existing: undefined, expected: { [ourRule!.ID]: 1 } },
    {
      name: "the user's rules keep their priorities; ours takes the next free one",
      existing: config([userRule('logs', 5), userRule('audit', 2)]),
      expected: { logs: 5, audit: 2, [ourRule!.ID]: 6 },
    },
    {
      name: 'our rule already there keeps its priority',
      existing: config([userRule('logs', 1), { ...ourRule!, Priority: 7 }, userRule('audit', 3)]),
      expected: { logs: 1, audit: 3, [ourRule!.ID]: 7 },
    },
    {
      name: 'our changed rule (new fingerprint) replaces the old one in its place; a rule for another destination stays',
      existing: config([
        { ...ourPrefixedRule!, Priority: 4 },
        { ...ourRule!, ID: 'replicate-setup:other-bucket@0badf00d', Priority: 2 },
      ]),
      expected: { 'replicate-setup:other-bucket@0badf00d': 2, [ourRule!.ID]: 4 },
    },
    {
      name: 'a kept priority the user has taken since is given up for a free one',
      existing: config([userRule('logs', 7), { ...ourRule!, Priority: 7 }]),
      expected: { logs: 7, [ourRule!.ID]: 8 },
    },
  ];

  it.each(CASES)('$name', ({ existing, expected }) => {
    const { configuration, upgradedV1Rules } = mergeReplicationRules(existing, [ourRule!], SEED_ROLE_ARN, owns);
    expect(prioritiesOf(configuration)).toStrictEqual(expected);
    expect(configuration.Role, 'the role is the one given (the bucket has one)').toBe(SEED_ROLE_ARN);
    expect(upgradedV1Rules).toEqual([]);
    // Other rules are untouched apart from nothing at all.
    for (const rule of existing?.Rules.filter((r) => !owns(r)) ?? []) expect(configuration.Rules).toContainEqual(rule);
    expect(configuration.Rules.filter((r) => owns(r))).toStrictEqual([{ ...ourRule!, Priority: expected[ourRule!.ID] }]);
    // Idempotent: the merged configuration, read back and merged again, is the same.
    expect(mergeReplicationRules(configuration, [ourRule!], SEED_ROLE_ARN, owns).configuration).toStrictEqual(configuration);
  });

  it('gives several new rules of ours unique priorities around the ones taken', () => {
    const mine = replicationRules(seedContext(seedInput({ uploaders: ['alice', 'bob', 'carol'] })));
    const { configuration } = mergeReplicationRules(config([userRule('logs', 2), userRule('audit', 4)]), mine, SEED_ROLE_ARN, owns);
    const priorities = configuration.Rules.map((r) => r.Priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    expect(prioritiesOf(configuration)).toStrictEqual({ logs: 2, audit: 4, [mine[0]!.ID]: 5, [mine[1]!.ID]: 6, [mine[2]!.ID]: 7 });
  });

  it('rewrites V1 rules (no Filter) in the V2 form that means the same, and says which', () => {
    const v1 = (id: string, prefix: string): ReplicationRule =>
      ({ ID: id, Prefix: prefix, Status: 'Enabled', Destination: { Bucket: 'arn:aws:s3:::old-backup' } }) as unknown as ReplicationRule;
    const { configuration, upgradedV1Rules } = mergeReplicationRules(config([v1('old-a', 'a/'), v1('old-b', 'b/')]), [ourRule!], SEED_ROLE_ARN, owns);
    expect(upgradedV1Rules).toEqual(['old-a', 'old-b']);
    const upgraded = configuration.Rules.filter((r) => r.ID?.startsWith('old-'));
    expect(upgraded.map(({ Priority: _p, ...rule }) => rule)).toStrictEqual([
      {
        ID: 'old-a',
        Status: 'Enabled',
        Filter: { Prefix: 'a/' },
        DeleteMarkerReplication: { Status: 'Enabled' },
        Destination: { Bucket: 'arn:aws:s3:::old-backup' },
      },
      {
        ID: 'old-b',
        Status: 'Enabled',
        Filter: { Prefix: 'b/' },
        DeleteMarkerReplication: { Status: 'Enabled' },
        Destination: { Bucket: 'arn:aws:s3:::old-backup' },
      },
    ]);
    for (const rule of configuration.Rules) expect(rule, 'no V1 Prefix may remain beside V2 rules').not.toHaveProperty('Prefix');
    // S3 requires unique priorities among V2 rules: the upgraded rules need their own numbers too.
    const priorities = configuration.Rules.map((r) => r.Priority);
    expect(priorities.every((p) => typeof p === 'number')).toBe(true);
    expect(new Set(priorities).size).toBe(priorities.length);
    // Once upgraded, a re-merge has nothing left to upgrade and changes nothing.
    const again = mergeReplicationRules(configuration, [ourRule!], SEED_ROLE_ARN, owns);
    expect(again.upgradedV1Rules).toEqual([]);
    expect(again.configuration).toStrictEqual(configuration);
  });
});
