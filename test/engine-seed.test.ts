// The setup engine against moto with two accounts, the walkthrough's exact names: the seed, one account on both sides,
// a changed input on a re-run (this file has its own moto server, reset before each test, so global bucket names cannot
// collide with other files). What the engine SENT is recorded with an SDK middleware where moto's read-back is lossy
// (replication). Shared helpers: test/support/engine.ts.

import { GetRoleCommand, GetRolePolicyCommand, GetUserPolicyCommand, ListRolePoliciesCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { RawOptions } from '../src/input/options.js';
import { parsePolicy } from '../src/plan/compare.js';
import {
  destinationPolicyStatements,
  REPLICATION_TRUST_POLICY,
  readerIdentityPolicy,
  replicationRolePolicy,
  sourcePolicyStatements,
} from '../src/plan/documents.js';
import { setupNames } from '../src/plan/names.js';
import { bucketPolicy, ctxOf, DEST_ARN, ROLE_ARN, sentReplication, useEngineEmulator } from './support/engine.js';
import { SEED_RAW } from './support/fixtures.js';
import { isWrite } from './support/record.js';

const { emu, prepare, run } = useEngineEmulator();

describe('the seed in two emulated accounts', () => {
  it('sets up every resource with the right settings, in the right account and region', async () => {
    const r = await run();
    expect(r.steps.map((s) => [s.id, s.action, s.status]).filter(([, action, status]) => action !== 'create' || status !== 'done')).toEqual([]);
    expect(r.prepared.accounts).toEqual({ source: '111111111111', destination: '222222222222' });

    const source = emu.clients('source');
    const destination = emu.clients('destination');
    // Buckets: each in its own account and region.
    const names = async (s3: S3Client) => ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
    expect(await names(source.s3)).toEqual(['rubes-s3-bucket']);
    expect(await names(destination.s3)).toEqual(['clint-s3-bucket']);
    expect((await source.s3.send(new GetBucketLocationCommand({ Bucket: 'rubes-s3-bucket' }))).LocationConstraint).toBe('ap-southeast-1');
    expect((await destination.s3.send(new GetBucketLocationCommand({ Bucket: 'clint-s3-bucket' }))).LocationConstraint).toBe('ap-southeast-2');

    for (const [s3, bucket] of [
      [source.s3, 'rubes-s3-bucket'],
      [destination.s3, 'clint-s3-bucket'],
    ] as const) {
      expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
      expect(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    }
    const ownership = await destination.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'clint-s3-bucket' }));
    expect(ownership.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);

    // The role: the documented trust (no condition) and exactly our least-privilege inline policy.
    const { Role } = await source.iam.send(new GetRoleCommand({ RoleName: 's3_replication_role' }));
    expect(Role?.Arn).toBe(ROLE_ARN);
    expect(parsePolicy(Role?.AssumeRolePolicyDocument)).toStrictEqual(REPLICATION_TRUST_POLICY);
    expect((await source.iam.send(new ListRolePoliciesCommand({ RoleName: 's3_replication_role' }))).PolicyNames).toEqual([
      setupNames(r.input, r.prepared.accounts).rolePolicy,
    ]);
    const inline = await source.iam.send(
      new GetRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName: setupNames(r.input, r.prepared.accounts).rolePolicy }),
    );
    expect(parsePolicy(inline.PolicyDocument)).toStrictEqual(replicationRolePolicy(ctxOf(r)));

    // Bucket policies: the role may replicate into the destination; tom-cruise may list and read the source.
    expect(await bucketPolicy(destination.s3, 'clint-s3-bucket')).toStrictEqual({ Version: '2012-10-17', Statement: destinationPolicyStatements(ctxOf(r)) });
    expect((await bucketPolicy(destination.s3, 'clint-s3-bucket'))?.Statement.map((s) => s.Principal)).toEqual([{ AWS: ROLE_ARN }, { AWS: ROLE_ARN }]);
    const sourcePolicy = await bucketPolicy(source.s3, 'rubes-s3-bucket');
    expect(sourcePolicy).toStrictEqual({ Version: '2012-10-17', Statement: sourcePolicyStatements(ctxOf(r)) });
    expect(sourcePolicy?.Statement.map((s) => s.Principal)).toEqual([
      { AWS: ['arn:aws:iam::222222222222:user/tom-cruise'] },
      { AWS: ['arn:aws:iam::222222222222:user/tom-cruise'] },
    ]);

    // tom-cruise's own account lets him read both buckets; clint-eastwood got nothing.
    const reader = await destination.iam.send(
      new GetUserPolicyCommand({ UserName: 'tom-cruise', PolicyName: setupNames(r.input, r.prepared.accounts).readerPolicy }),
    );
    expect(parsePolicy(reader.PolicyDocument)).toStrictEqual(readerIdentityPolicy(ctxOf(r)));
    expect((await destination.iam.send(new ListUserPoliciesCommand({ UserName: 'clint-eastwood' }))).PolicyNames).toEqual([]);
  });

  it('sends the documented V2 replication configuration (what was sent: moto reads back Filter and delete markers wrong)', async () => {
    const r = await run();
    const sent = sentReplication(r.calls);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toStrictEqual({
      Role: ROLE_ARN,
      Rules: [
        {
          ID: expect.stringMatching(/^replicate-setup:clint-s3-bucket:[0-9a-f]{12}@[0-9a-f]{8}$/),
          Priority: 1,
          Status: 'Enabled',
          Filter: { Prefix: '' },
          DeleteMarkerReplication: { Status: 'Enabled' },
          Destination: {
            Bucket: DEST_ARN,
            Account: '222222222222',
            AccessControlTranslation: { Owner: 'Destination' },
            ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
            Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
          },
        },
      ],
    });
    // What moto does echo faithfully agrees with what was sent.
    const stored = (await emu.clients('source').s3.send(new GetBucketReplicationCommand({ Bucket: 'rubes-s3-bucket' }))).ReplicationConfiguration;
    expect(stored?.Role).toBe(ROLE_ARN);
    expect(stored?.Rules?.map((rule) => [rule.ID, rule.Priority, rule.Status, rule.Destination?.Bucket, rule.Destination?.Account])).toEqual([
      [(sent[0]!.Rules as { ID: string }[])[0]!.ID, 1, 'Enabled', DEST_ARN, '222222222222'],
    ]);
  });

  it('writes after the reads only, and orders the writes by their dependencies', async () => {
    const r = await run();
    const firstWrite = r.calls.findIndex(isWrite);
    expect(firstWrite).toBeGreaterThan(0);
    expect(r.calls.slice(firstWrite).filter((c) => c.command === 'GetCallerIdentity')).toEqual([]);
    const at = (command: string, side?: 'source' | 'destination') => r.calls.findIndex((c) => c.command === command && (!side || c.side === side));
    expect(at('PutBucketReplication')).toBeGreaterThan(at('PutBucketVersioning', 'source'));
    expect(at('PutBucketReplication')).toBeGreaterThan(at('PutBucketVersioning', 'destination'));
    expect(at('PutBucketReplication')).toBeGreaterThan(at('PutRolePolicy'));
    expect(at('PutBucketReplication')).toBeGreaterThan(at('PutBucketPolicy', 'destination'));
    expect(at('PutRolePolicy')).toBeGreaterThan(at('CreateRole'));
    expect(at('PutBucketPolicy', 'source')).toBeGreaterThan(at('CreateBucket', 'source'));
  });

  it('changes nothing on a second identical run, and says so', async () => {
    await run();
    const again = await run();
    expect(again.steps.filter((s) => s.action !== 'no-op' || s.status !== 'unchanged')).toEqual([]);
    expect(again.steps.length).toBeGreaterThanOrEqual(15);
    expect(again.calls.filter(isWrite).map((c) => c.command)).toEqual([]);
    expect(again.events.filter((e) => e.type === 'step-start')).toEqual([]);
  });

  it('plans without writing anything, before and after a run', async () => {
    const before = await prepare(SEED_RAW);
    expect(before.prepared.plan.changes.every((c) => c.action === 'create')).toBe(true);
    expect(before.calls.filter(isWrite)).toEqual([]);
    expect((await emu.clients('source').s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    await run();
    const after = await prepare(SEED_RAW);
    expect(after.prepared.plan.changes.filter((c) => c.action !== 'no-op')).toEqual([]);
    expect(after.calls.filter(isWrite)).toEqual([]);
  });
});

describe('one account on both sides', () => {
  it('sets up without a destination account, owner override or destination bucket policy, and re-runs as no-op', async () => {
    const raw: RawOptions = { ...SEED_RAW, destProfile: 'xyz', authorizedUser: [] };
    const r = await run(raw);
    expect(r.prepared.accounts).toEqual({ source: '111111111111', destination: '111111111111' });
    expect(r.steps.every((s) => s.status === 'done')).toBe(true);
    expect(r.steps.map((s) => s.id)).not.toContain('destination-bucket-policy');
    expect(r.prepared.plan.notes.join('\n')).toContain('same account');

    const source = emu.clients('source');
    const names = ((await source.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name).sort();
    expect(names).toEqual(['clint-s3-bucket', 'rubes-s3-bucket']);
    expect((await source.s3.send(new GetBucketLocationCommand({ Bucket: 'clint-s3-bucket' }))).LocationConstraint).toBe('ap-southeast-2');
    await expect(source.s3.send(new GetBucketPolicyCommand({ Bucket: 'clint-s3-bucket' }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });

    const [sent] = sentReplication(r.calls);
    const rule = (sent!.Rules as { Destination: Record<string, unknown> }[])[0]!;
    expect(rule.Destination).toStrictEqual({
      Bucket: DEST_ARN,
      ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
      Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
    });

    const again = await run(raw);
    expect(again.steps.every((s) => s.action === 'no-op')).toBe(true);
    expect(again.calls.filter(isWrite)).toEqual([]);
  });
});

describe('a changed input on a re-run', () => {
  it('updates only the replication rule when --prefix and --no-rtc change (moto cannot echo the filter: the ID tells)', async () => {
    await run();
    const r = await run({ ...SEED_RAW, prefix: 'incidents/', rtc: false });
    expect(r.steps.filter((s) => s.action !== 'no-op').map((s) => [s.id, s.action])).toEqual([['replication-configuration', 'update']]);
    const [sent] = sentReplication(r.calls);
    const rules = sent!.Rules as { Filter: unknown; Priority: number; Destination: Record<string, unknown> }[];
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ Filter: { Prefix: 'incidents/' }, Priority: 1 });
    expect(rules[0]!.Destination).not.toHaveProperty('ReplicationTime');
    const again = await run({ ...SEED_RAW, prefix: 'incidents/', rtc: false });
    expect(again.calls.filter(isWrite)).toEqual([]);
  });
});
