// The setup engine against moto with two accounts, the walkthrough's exact names (this file has its own moto server,
// reset before each test, so global bucket names cannot collide with other files). What the engine SENT is recorded
// with an SDK middleware where moto's read-back is lossy (replication).
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  PutBucketPolicyCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateRoleCommand, CreateUserCommand, GetRoleCommand, GetRolePolicyCommand, GetUserPolicyCommand, ListRolePoliciesCommand, ListUserPoliciesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inputAndClients } from '../src/commands/common.js';
import { applySetup, prepareSetup, type PreparedSetup } from '../src/engine/setup.js';
import type { StepResult } from '../src/engine/apply.js';
import type { EngineEvent } from '../src/engine/events.js';
import type { RetryPolicy } from '../src/engine/retry.js';
import { InputError } from '../src/errors.js';
import type { RawOptions } from '../src/input/options.js';
import type { SetupInput } from '../src/input/types.js';
import { parsePolicy, sameDocument } from '../src/plan/compare.js';
import {
  REPLICATION_TRUST_POLICY,
  destinationPolicyStatements,
  readerIdentityPolicy,
  replicationRolePolicy,
  sourcePolicyStatements,
  type DocumentContext,
} from '../src/plan/documents.js';
import { readerPolicyName, rolePolicyName } from '../src/plan/names.js';
import type { PolicyDocument, PolicyStatement } from '../src/plan/policy-types.js';
import { emulatorClients } from '../src/emulator/accounts.js';
import { useEmulator } from './support/emulator.js';
import { isWrite, recordCalls, type SentCall } from './support/record.js';
import { SEED_RAW } from './support/fixtures.js';

const emu = useEmulator();

const SOURCE_ARN = 'arn:aws:s3:::rubes-s3-bucket';
const DEST_ARN = 'arn:aws:s3:::clint-s3-bucket';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/s3_replication_role';

// moto raises no IAM propagation errors; should one appear, do not sleep through it.
const NO_WAIT: RetryPolicy = { attempts: 3, firstDelayMs: 0, maxDelayMs: 0, sleep: async () => undefined };

afterEach(() => {
  vi.unstubAllEnvs();
});

interface Run {
  input: SetupInput;
  prepared: PreparedSetup;
  steps: StepResult[];
  calls: SentCall[];
  events: EngineEvent[];
}

/** Validates, reads, plans and applies as the CLI does, with the emulator's profile files, recording every call. */
async function prepare(raw: RawOptions): Promise<{ input: SetupInput; prepared: PreparedSetup; calls: SentCall[]; events: EngineEvent[]; clients: Awaited<ReturnType<typeof inputAndClients>>['clients'] }> {
  for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
  const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
  const calls = recordCalls(clients);
  const events: EngineEvent[] = [];
  const prepared = await prepareSetup(input, clients, (event) => events.push(event));
  return { input, prepared, calls, events, clients };
}

async function run(raw: RawOptions = SEED_RAW): Promise<Run> {
  const { input, prepared, calls, events, clients } = await prepare(raw);
  const steps = await applySetup(prepared, clients, (event) => events.push(event), { retry: NO_WAIT });
  return { input, prepared, steps, calls, events };
}

/** The preflight's InputError: reading found the input wrong, so nothing may have been written. */
async function refused(raw: RawOptions): Promise<{ error: InputError; calls: SentCall[] }> {
  for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
  const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
  const calls = recordCalls(clients);
  try {
    await prepareSetup(input, clients, () => undefined);
  } catch (error) {
    if (error instanceof InputError) return { error, calls };
    throw error;
  }
  throw new Error('expected the preflight to refuse the input');
}

const sentReplication = (calls: SentCall[]): Record<string, unknown>[] =>
  calls.filter((c) => c.command === 'PutBucketReplication').map((c) => c.input.ReplicationConfiguration as Record<string, unknown>);

const ctxOf = (r: Pick<Run, 'input' | 'prepared'>): DocumentContext => ({ input: r.input, accounts: r.prepared.accounts, replicationRoleArn: r.prepared.live.role.arn });

async function bucketPolicy(s3: S3Client, bucket: string): Promise<PolicyDocument | undefined> {
  return parsePolicy((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy);
}

const statementsBySid = (doc: PolicyDocument | undefined): Record<string, PolicyStatement> =>
  Object.fromEntries((doc?.Statement ?? []).map((s) => [s.Sid ?? '(none)', s]));

const userStatement = (bucket: string): PolicyStatement => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

async function createVersionedBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region as 'ap-southeast-1' } }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}

const S3_TRUST = JSON.stringify(REPLICATION_TRUST_POLICY);

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

    for (const [s3, bucket] of [[source.s3, 'rubes-s3-bucket'], [destination.s3, 'clint-s3-bucket']] as const) {
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
    expect((await source.iam.send(new ListRolePoliciesCommand({ RoleName: 's3_replication_role' }))).PolicyNames).toEqual([rolePolicyName(r.input)]);
    const inline = await source.iam.send(new GetRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName: rolePolicyName(r.input) }));
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
    const reader = await destination.iam.send(new GetUserPolicyCommand({ UserName: 'tom-cruise', PolicyName: readerPolicyName(r.input) }));
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
          ID: expect.stringMatching(/^replicate-setup:clint-s3-bucket@[0-9a-f]{8}$/),
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

describe('merge, never clobber', () => {
  it("keeps the user's bucket policy statements, replication rule (and its priority) and other inline role policy", async () => {
    const source = emu.clients('source');
    const destination = emu.clients('destination');
    await createVersionedBucket(source.s3, 'rubes-s3-bucket', 'ap-southeast-1');
    await createVersionedBucket(source.s3, 'rubes-archive', 'ap-southeast-1');
    await createVersionedBucket(destination.s3, 'clint-s3-bucket', 'ap-southeast-2');
    const sourceUser = userStatement('rubes-s3-bucket');
    const destUser: PolicyStatement = { Sid: 'CompanyAudit', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 's3:ListBucket', Resource: DEST_ARN };
    await source.s3.send(new PutBucketPolicyCommand({ Bucket: 'rubes-s3-bucket', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [sourceUser] }) }));
    await destination.s3.send(new PutBucketPolicyCommand({ Bucket: 'clint-s3-bucket', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [destUser] }) }));
    await source.iam.send(new CreateRoleCommand({ RoleName: 's3_replication_role', AssumeRolePolicyDocument: S3_TRUST }));
    const theirPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::rubes-archive/*' }] };
    await source.iam.send(new PutRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName: 'their-archive-access', PolicyDocument: JSON.stringify(theirPolicy) }));
    // The user's rule is written the way moto reads rules back (Filter '' and delete markers off), so its echo is exact.
    const theirRule = {
      ID: 'archive-everything',
      Priority: 5,
      Status: 'Enabled' as const,
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Disabled' as const },
      Destination: { Bucket: 'arn:aws:s3:::rubes-archive' },
    };
    await source.s3.send(new PutBucketReplicationCommand({ Bucket: 'rubes-s3-bucket', ReplicationConfiguration: { Role: ROLE_ARN, Rules: [theirRule] } }));

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
    expect(rules[0]).toStrictEqual(theirRule);
    expect(rules.map((rule) => rule.Priority)).toEqual([5, 6]);
    expect(rules[1]!.ID).toMatch(/^replicate-setup:clint-s3-bucket@/);

    expect(statementsBySid(await bucketPolicy(source.s3, 'rubes-s3-bucket'))).toMatchObject({
      DenyInsecureTransport: sourceUser,
      ReplicateSetupAuthorizedListToClintS3Bucket: { Principal: { AWS: ['arn:aws:iam::222222222222:user/tom-cruise'] } },
      ReplicateSetupAuthorizedReadToClintS3Bucket: { Action: ['s3:GetObject'] },
    });
    const destPolicy = await bucketPolicy(destination.s3, 'clint-s3-bucket');
    expect(destPolicy?.Statement).toHaveLength(3);
    expect(statementsBySid(destPolicy).CompanyAudit).toStrictEqual(destUser);

    const roleName = 's3_replication_role';
    expect((await source.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames?.sort()).toEqual([rolePolicyName(r.input), 'their-archive-access'].sort());
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
          Rules: [{ ID: 'old-backup', Priority: 1, Status: 'Enabled', Filter: { Prefix: '' }, DeleteMarkerReplication: { Status: 'Disabled' }, Destination: { Bucket: 'arn:aws:s3:::somewhere-else' } }],
        },
      }),
    );

    const r = await run();
    expect(r.prepared.plan.notes.join('\n')).toContain(`already replicates with role ${legacyArn}`);
    expect(r.steps.find((s) => s.id === 'replication-role')).toMatchObject({ action: 'no-op', resource: legacyArn, note: 'existing replication role kept' });
    expect(r.steps.find((s) => s.id === 'replication-role-policy')).toMatchObject({ action: 'create', status: 'done' });

    const inline = await source.iam.send(new GetRolePolicyCommand({ RoleName: 'legacy-crr-role', PolicyName: rolePolicyName(r.input) }));
    expect(parsePolicy(inline.PolicyDocument)).toStrictEqual(replicationRolePolicy(ctxOf(r)));
    await expect(source.iam.send(new GetRoleCommand({ RoleName: 's3_replication_role' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    expect(r.calls.filter((c) => c.command === 'CreateRole')).toEqual([]);

    const [sent] = sentReplication(r.calls);
    expect(sent!.Role).toBe(legacyArn);
    expect((sent!.Rules as { ID: string; Priority: number }[]).map((rule) => [rule.ID.split('@')[0], rule.Priority])).toEqual([
      ['old-backup', 1],
      ['replicate-setup:clint-s3-bucket', 2],
    ]);
    const destPolicy = await bucketPolicy(emu.clients('destination').s3, 'clint-s3-bucket');
    expect(destPolicy?.Statement.map((s) => s.Principal)).toEqual([{ AWS: legacyArn }, { AWS: legacyArn }]);

    const again = await run();
    expect(again.calls.filter(isWrite).map((c) => c.command)).toEqual([]);
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
    await emu.clients('destination').s3.send(new CreateBucketCommand({ Bucket: 'rubes-s3-bucket', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }));
    await emu.clients('source').s3.send(new CreateBucketCommand({ Bucket: 'clint-s3-bucket', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }));
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

describe('one source, two destinations', () => {
  it("each setup keeps the other's readers, rules and reader policy: both re-run as no-op", async () => {
    const second: RawOptions = { ...SEED_RAW, destBucket: 'clint-s3-archive', authorizedUser: ['clint-eastwood'] };
    await run(SEED_RAW);
    await run(second);

    const policy = await bucketPolicy(emu.clients('source').s3, 'rubes-s3-bucket');
    const sids = (policy?.Statement ?? []).map((statement) => statement.Sid);
    expect(sids).toEqual(expect.arrayContaining(['ReplicateSetupAuthorizedReadToClintS3Bucket', 'ReplicateSetupAuthorizedReadToClintS3Archive']));
    for (const raw of [SEED_RAW, second]) {
      const again = await prepare(raw);
      expect(again.prepared.plan.changes.filter((change) => change.action !== 'no-op').map((change) => change.id)).toEqual([]);
    }
  });
});

describe('users under an IAM path', () => {
  it('a bare name for a user under a path is refused with the ARN to give; that ARN then sets up', async () => {
    await emu.clients('destination').iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/support/' }));
    const { error, calls } = await refused({ ...SEED_RAW, authorizedUser: ['alice'] });
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual([
      { flag: '--authorized-user', message: expect.stringContaining('alice is arn:aws:iam::222222222222:user/support/alice (under an IAM path): pass that full ARN') },
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
