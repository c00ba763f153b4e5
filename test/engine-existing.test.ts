// The setup engine against moto with what the accounts already hold: the user's statements, rules and role policies
// are merged, never clobbered; a second destination keeps the first one's grants; input that only the accounts can show
// is wrong is refused before any write (this file has its own moto server, reset before each test). Shared helpers:
// test/support/engine.ts.

import { CreateRoleCommand, CreateUserCommand, GetRoleCommand, GetRolePolicyCommand, ListRolePoliciesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, ListBucketsCommand, PutBucketPolicyCommand, PutBucketReplicationCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { emulatorClients } from '../src/emulator/accounts.js';
import type { RawOptions } from '../src/input/options.js';
import { parsePolicy, sameDocument } from '../src/plan/compare.js';
import { replicationRolePolicy } from '../src/plan/documents.js';
import { setupNames } from '../src/plan/names.js';
import type { PolicyStatement } from '../src/plan/policy-types.js';
import {
  bucketPolicy,
  createVersionedBucket,
  ctxOf,
  DEST_ARN,
  ROLE_ARN,
  S3_TRUST,
  sentReplication,
  statementsBySid,
  useEngineEmulator,
  userStatement,
} from './support/engine.js';
import { pairSid, SEED_RAW, seedNames } from './support/fixtures.js';
import { isWrite } from './support/record.js';

const { emu, prepare, run, refused } = useEngineEmulator();

/** A rule another setup of the tool wrote (to another destination), in the shape moto echoes, so its echo is exact. */
const otherSetupRule = (destination: string, priority: number) => ({
  ID: `replicate-setup:${destination}`,
  Priority: priority,
  Status: 'Enabled' as const,
  Filter: { Prefix: '' },
  DeleteMarkerReplication: { Status: 'Disabled' as const },
  Destination: { Bucket: `arn:aws:s3:::${destination}` },
});

describe('merge, never clobber', () => {
  it("keeps the user's bucket policy statements, replication rule (and its priority) and other inline role policy", async () => {
    const source = emu.clients('source');
    const destination = emu.clients('destination');
    await createVersionedBucket(source.s3, 'rubes-s3-bucket', 'ap-southeast-1');
    await createVersionedBucket(source.s3, 'rubes-archive', 'ap-southeast-1');
    await createVersionedBucket(destination.s3, 'clint-s3-bucket', 'ap-southeast-2');
    const sourceUser = userStatement('rubes-s3-bucket');
    const destUser: PolicyStatement = {
      Sid: 'CompanyAudit',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: 's3:ListBucket',
      Resource: DEST_ARN,
    };
    await source.s3.send(new PutBucketPolicyCommand({ Bucket: 'rubes-s3-bucket', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [sourceUser] }) }));
    await destination.s3.send(
      new PutBucketPolicyCommand({ Bucket: 'clint-s3-bucket', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [destUser] }) }),
    );
    await source.iam.send(new CreateRoleCommand({ RoleName: 's3_replication_role', AssumeRolePolicyDocument: S3_TRUST }));
    const theirPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::rubes-archive/*' }] };
    await source.iam.send(
      new PutRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName: 'their-archive-access', PolicyDocument: JSON.stringify(theirPolicy) }),
    );
    // A rule of the user's own is not here: moto echoes rules lossily, so the tool refuses to re-send one
    // (test/engine-lossy-echo.test.ts); merging rules is proven on a faithful echo in test/plan-merge.test.ts.
    await source.s3.send(
      new PutBucketReplicationCommand({ Bucket: 'rubes-s3-bucket', ReplicationConfiguration: { Role: ROLE_ARN, Rules: [otherSetupRule('rubes-archive', 5)] } }),
    );

    const r = await run();
    const actions = Object.fromEntries(r.steps.map((s) => [s.id, s.action]));
    expect(actions).toMatchObject({
      'source-bucket': 'no-op',
      'source-versioning': 'no-op',
      'destination-bucket': 'no-op',
      'replication-role': 'no-op',
      'replication-role-policy': 'create',
      'source-bucket-policy': 'update',
      'destination-bucket-policy': 'update',
      'replication-configuration': 'update',
    });

    const [sent] = sentReplication(r.calls);
    const rules = sent!.Rules as { ID: string; Priority: number }[];
    expect(rules[0]).toStrictEqual(otherSetupRule('rubes-archive', 5));
    expect(rules.map((rule) => rule.Priority)).toEqual([5, 6]);
    expect(rules[1]!.ID).toMatch(/^replicate-setup:clint-s3-bucket:[0-9a-f]{12}@/);

    expect(statementsBySid(await bucketPolicy(source.s3, 'rubes-s3-bucket'))).toMatchObject({
      DenyInsecureTransport: sourceUser,
      [pairSid('rubes-s3-bucket', 'clint-s3-bucket', 'AuthorizedList')]: { Principal: { AWS: ['arn:aws:iam::222222222222:user/tom-cruise'] } },
      [pairSid('rubes-s3-bucket', 'clint-s3-bucket', 'AuthorizedRead')]: { Action: ['s3:GetObject'] },
    });
    const destPolicy = await bucketPolicy(destination.s3, 'clint-s3-bucket');
    expect(destPolicy?.Statement).toHaveLength(3);
    expect(statementsBySid(destPolicy).CompanyAudit).toStrictEqual(destUser);

    const roleName = 's3_replication_role';
    expect((await source.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames?.sort()).toEqual(
      [setupNames(r.input, r.prepared.accounts).rolePolicy, 'their-archive-access'].sort(),
    );
    const kept = await source.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'their-archive-access' }));
    expect(sameDocument(parsePolicy(kept.PolicyDocument), theirPolicy)).toBe(true);

    // And the merged result is stable: the next run writes nothing.
    const again = await run();
    expect(again.calls.filter(isWrite).map((c) => c.command)).toEqual([]);
  });

  it('keeps a replication role of another name already on the source bucket, gives it our policy, and says so', async () => {
    const source = emu.clients('source');
    await createVersionedBucket(source.s3, 'rubes-s3-bucket', 'ap-southeast-1');
    const legacyArn = 'arn:aws:iam::111111111111:role/legacy-crr-role';
    await source.iam.send(new CreateRoleCommand({ RoleName: 'legacy-crr-role', AssumeRolePolicyDocument: S3_TRUST }));
    await source.s3.send(
      new PutBucketReplicationCommand({
        Bucket: 'rubes-s3-bucket',
        ReplicationConfiguration: {
          Role: legacyArn,
          Rules: [otherSetupRule('somewhere-else', 1)],
        },
      }),
    );

    const r = await run();
    expect(r.prepared.plan.notes.join('\n')).toContain(`already replicates with role ${legacyArn}`);
    expect(r.steps.find((s) => s.id === 'replication-role')).toMatchObject({ action: 'no-op', resource: legacyArn, note: 'existing replication role kept' });
    expect(r.steps.find((s) => s.id === 'replication-role-policy')).toMatchObject({ action: 'create', status: 'done' });

    const inline = await source.iam.send(
      new GetRolePolicyCommand({ RoleName: 'legacy-crr-role', PolicyName: setupNames(r.input, r.prepared.accounts).rolePolicy }),
    );
    expect(parsePolicy(inline.PolicyDocument)).toStrictEqual(replicationRolePolicy(ctxOf(r)));
    await expect(source.iam.send(new GetRoleCommand({ RoleName: 's3_replication_role' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    expect(r.calls.filter((c) => c.command === 'CreateRole')).toEqual([]);

    const [sent] = sentReplication(r.calls);
    expect(sent!.Role).toBe(legacyArn);
    expect((sent!.Rules as { ID: string; Priority: number }[]).map((rule) => [rule.ID.split('@')[0], rule.Priority])).toEqual([
      ['replicate-setup:somewhere-else', 1],
      [`replicate-setup:clint-s3-bucket:${seedNames().setupId}`, 2],
    ]);
    const destPolicy = await bucketPolicy(emu.clients('destination').s3, 'clint-s3-bucket');
    expect(destPolicy?.Statement.map((s) => s.Principal)).toEqual([{ AWS: legacyArn }, { AWS: legacyArn }]);

    const again = await run();
    expect(again.calls.filter(isWrite).map((c) => c.command)).toEqual([]);
  });
});

describe('one source, two destinations', () => {
  it("each setup keeps the other's readers, rules and reader policy: both re-run as no-op", async () => {
    const second: RawOptions = { ...SEED_RAW, destBucket: 'clint-s3-archive', authorizedUser: ['clint-eastwood'] };
    await run(SEED_RAW);
    await run(second);

    const policy = await bucketPolicy(emu.clients('source').s3, 'rubes-s3-bucket');
    const sids = (policy?.Statement ?? []).map((statement) => statement.Sid);
    expect(sids).toEqual(
      expect.arrayContaining([
        pairSid('rubes-s3-bucket', 'clint-s3-bucket', 'AuthorizedRead'),
        pairSid('rubes-s3-bucket', 'clint-s3-archive', 'AuthorizedRead'),
      ]),
    );
    for (const raw of [SEED_RAW, second]) {
      const again = await prepare(raw);
      expect(again.prepared.plan.changes.filter((change) => change.action !== 'no-op').map((change) => change.id)).toEqual([]);
    }
  });
});

describe('input that only the accounts can show is wrong: refused before any write', () => {
  it('a bucket already ours in another region names --source-region and the region it is in', async () => {
    const { credentials } = emu.setup;
    const sydney = emulatorClients(emu.endpoint, 'ap-southeast-2', credentials.source);
    await sydney.s3.send(new CreateBucketCommand({ Bucket: 'rubes-s3-bucket', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }));
    const { error, calls } = await refused(SEED_RAW);
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([{ flag: '--source-region', message: expect.stringContaining('already exists in ap-southeast-2, not ap-southeast-1') }]);
    expect(error.problems[0]!.message).toContain('--source-region ap-southeast-2');
    expect(calls.filter(isWrite)).toEqual([]);
  });

  it('a bucket held by the other account names the bucket flag, on either side', async () => {
    await emu
      .clients('destination')
      .s3.send(new CreateBucketCommand({ Bucket: 'rubes-s3-bucket', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }));
    await emu
      .clients('source')
      .s3.send(new CreateBucketCommand({ Bucket: 'clint-s3-bucket', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }));
    const { error, calls } = await refused(SEED_RAW);
    expect(error.exitCode).toBe(2);
    expect(error.problems.map((p) => p.flag).sort()).toEqual(['--dest-bucket', '--source-bucket']);
    for (const problem of error.problems) expect(problem.message).toMatch(/already exists and belongs to another account .*choose another name/);
    expect(calls.filter(isWrite)).toEqual([]);
  });

  it('an authorised user missing from the destination account names --authorized-user', async () => {
    const { error, calls } = await refused({ ...SEED_RAW, authorizedUser: ['tom-cruise', 'ghost-user'] });
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([
      { flag: '--authorized-user', message: expect.stringContaining('arn:aws:iam::222222222222:user/ghost-user does not exist in account 222222222222') },
    ]);
    expect(calls.filter(isWrite)).toEqual([]);
    expect((await emu.clients('source').s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  });
});

describe('users under an IAM path', () => {
  it('a bare name for a user under a path is refused with the ARN to give; that ARN then sets up', async () => {
    await emu.clients('destination').iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/support/' }));
    const { error, calls } = await refused({ ...SEED_RAW, authorizedUser: ['alice'] });
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([
      {
        flag: '--authorized-user',
        message: expect.stringContaining('alice is arn:aws:iam::222222222222:user/support/alice (under an IAM path): pass that full ARN'),
      },
    ]);
    expect(calls.filter(isWrite)).toEqual([]);

    const done = await run({ ...SEED_RAW, authorizedUser: ['arn:aws:iam::222222222222:user/support/alice'] });
    const policy = await bucketPolicy(emu.clients('source').s3, 'rubes-s3-bucket');
    expect(JSON.stringify(policy)).toContain('arn:aws:iam::222222222222:user/support/alice');
    expect(done.steps.find((step) => step.id === 'reader-policy:alice')?.status).toBe('done');
  });
});

describe('one principal given twice', () => {
  it('by name and by ARN names --authorized-user once the account is known', async () => {
    const { error, calls } = await refused({ ...SEED_RAW, authorizedUser: ['tom-cruise', 'arn:aws:iam::222222222222:user/tom-cruise'] });
    expect(error.problems).toEqual([{ flag: '--authorized-user', message: expect.stringContaining('gives arn:aws:iam::222222222222:user/tom-cruise twice') }]);
    expect(calls.filter(isWrite)).toEqual([]);
  });
});
