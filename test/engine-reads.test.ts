// How the engine reads (moto; the policy-list test uses aws-sdk-client-mock): which calls go out together, which are
// skipped because their answer is already known, and that a read started early on a guess is dropped when the guess
// turns out wrong. The round trips themselves are measured by `npm run bench`, not here.
import { GetUserPolicyCommand, IAMClient, ListAttachedUserPoliciesCommand, ListGroupsForUserCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketReplicationCommand,
  GetBucketAclCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { bucketOwnership } from '../src/aws/bucket-holder.js';
import { DEFAULT_MAX_CALLS_PER_DATA_SERVICE, DEFAULT_MAX_CALLS_PER_SERVICE, maxCallsPerService } from '../src/aws/send.js';
import { applySetup, firstRead, prepareSetup } from '../src/engine/setup.js';
import { userPolicies } from '../src/verify/identity-policies.js';
import { useEngineEmulator } from './support/engine.js';
import { SEED_RAW } from './support/fixtures.js';

const { emu, prepare, refused } = useEngineEmulator();
const NO_WAIT = { attempts: 3, firstDelayMs: 0, maxDelayMs: 0, sleep: async () => undefined };
const commands = (calls: { command: string }[]) => calls.map((call) => call.command);

describe('reads (moto)', () => {
  it('an owned bucket in the profile region is located by HeadBucket alone: no GetBucketLocation', async () => {
    const first = await prepare(SEED_RAW);
    await applySetup(first.prepared, first.clients, () => undefined, { retry: NO_WAIT });
    const again = await prepare(SEED_RAW);
    expect(again.prepared.live.source).toMatchObject({ ownership: 'ours', region: 'ap-southeast-1', versioning: 'Enabled' });
    expect(commands(again.calls)).toContain('HeadBucket');
    expect(commands(again.calls)).not.toContain('GetBucketLocation');
  });

  it('a bucket this process created is read at once on the next read; deleted meanwhile by somebody else, that read is dropped and the plan creates it again', async () => {
    const { prepared, clients, calls } = await prepare(SEED_RAW);
    await applySetup(prepared, clients, () => undefined, { retry: NO_WAIT });
    const { s3 } = emu.clients('source');
    await s3.send(new DeleteBucketReplicationCommand({ Bucket: 'rubes-s3-bucket' }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'rubes-s3-bucket' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'rubes-s3-bucket' }));
    const before = calls.length;
    const next = await prepareSetup(prepared.input, clients, () => undefined);
    // The settings were asked for (the guess), and the holder's answer (absent) won.
    expect(commands(calls.slice(before))).toContain('GetBucketVersioning');
    expect(next.live.source).toEqual({ ownership: 'absent' });
    expect(next.plan.changes.find((change) => change.id === 'source-bucket')?.action).toBe('create');
  });

  it('a name this process saw free and another account has taken since gets the full check: refused as held by another account', async () => {
    const { input, clients } = await prepare(SEED_RAW);
    // The partner's source name, created by the company's account in the meantime.
    await emu
      .clients('destination')
      .s3.send(new CreateBucketCommand({ Bucket: 'rubes-s3-bucket', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }));
    await expect(prepareSetup(input, clients, () => undefined)).rejects.toMatchObject({ problems: [{ flag: '--source-bucket' }] });
  });

  it('a user is looked up once per process; the role, which the run creates and changes, is read every time', async () => {
    const { prepared, clients, calls } = await prepare(SEED_RAW);
    const asked = (command: string) => calls.filter((call) => call.command === command).length;
    expect([asked('GetRole'), asked('GetUser')]).toEqual([1, 1]);
    await applySetup(prepared, clients, () => undefined, { retry: NO_WAIT });
    const next = await prepareSetup(prepared.input, clients, () => undefined);
    expect(next.live.role).toMatchObject({ exists: true, createdByTool: true });
    expect([asked('GetRole'), asked('GetUser')]).toEqual([2, 1]);
  });

  it('firstRead: a source bucket that does not exist means the run writes, so it may lock at once; with SSE-KMS it reads everything first', async () => {
    const { input, clients } = await prepare(SEED_RAW).then((r) => ({ input: r.input, clients: r.clients }));
    expect(await firstRead(input, clients, () => undefined, { mayLockFirst: true })).toEqual({ lockFirst: true });
    const asked = await firstRead(input, clients, () => undefined, { mayLockFirst: false });
    expect('prepared' in asked && asked.prepared.plan.changes.some((change) => change.action === 'create')).toBe(true);
    const kms = await prepare({ ...SEED_RAW, encryption: 'sse-kms' });
    const withKeys = await firstRead(kms.input, kms.clients, () => undefined, { mayLockFirst: true });
    expect('prepared' in withKeys).toBe(true);
  });

  it('firstRead refuses input the preflight finds wrong (a reader that does not exist) before anything else, having written nothing', async () => {
    const { error, calls } = await refused({ ...SEED_RAW, authorizedUser: ['nobody-here'] });
    expect(error.problems.map((p) => p.flag)).toEqual(['--authorized-user']);
    expect(calls.every((call) => /^(Get|List|Head)/.test(call.command))).toBe(true);
    const { input, clients } = await prepare(SEED_RAW);
    const wrong = { ...input, authorizedUsers: ['nobody-here'] };
    await expect(firstRead(wrong, clients, () => undefined, { mayLockFirst: true })).rejects.toMatchObject({ problems: [{ flag: '--authorized-user' }] });
  });
});

describe('limits and reuse (units; IAM mocked with aws-sdk-client-mock)', () => {
  it('IAM and STS get 8 calls in flight per account, the other services 32; REPLICATE_SETUP_MAX_CALLS sets one for all', () => {
    expect(maxCallsPerService({}, 'iam')).toBe(DEFAULT_MAX_CALLS_PER_SERVICE);
    expect(maxCallsPerService({}, 'sts')).toBe(8);
    expect(maxCallsPerService({}, 's3')).toBe(DEFAULT_MAX_CALLS_PER_DATA_SERVICE);
    expect(DEFAULT_MAX_CALLS_PER_DATA_SERVICE).toBe(32);
    expect(maxCallsPerService({ REPLICATE_SETUP_MAX_CALLS: '3' }, 's3')).toBe(3);
    expect(maxCallsPerService({ REPLICATE_SETUP_MAX_CALLS: 'many' }, 'iam')).toBe(8);
  });

  it("a principal's policies: the inline ones already read are not asked for again, the others are", async () => {
    const iam = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(iam);
    mock.on(ListUserPoliciesCommand).resolves({ PolicyNames: ['replicate-setup-read-abc', 'their-own'] });
    mock.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    mock.on(ListGroupsForUserCommand).resolves({ Groups: [] });
    const theirs = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] };
    mock.on(GetUserPolicyCommand).resolves({ PolicyDocument: encodeURIComponent(JSON.stringify(theirs)) });
    const ours = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
    const policies = await userPolicies(iam, 'tom-cruise', Promise.resolve({ 'replicate-setup-read-abc': ours }));
    expect(policies.map((p) => p.source).sort()).toEqual(['inline replicate-setup-read-abc', 'inline their-own']);
    expect(mock.commandCalls(GetUserPolicyCommand).map((call) => call.args[0].input.PolicyName)).toEqual(['their-own']);
    expect(policies.find((p) => p.source === 'inline replicate-setup-read-abc')?.document).toEqual(ours);
  });

  it("holder checks made together through one client share one listing: under the names' common prefix, every page (S3 mocked)", async () => {
    const s3 = new S3Client({ region: 'ap-southeast-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(s3);
    const pages = [{ Buckets: [{ Name: 'acme-logs-a' }], Owner: { ID: 'me' }, ContinuationToken: 'next' }, { Buckets: [{ Name: 'acme-logs-b' }] }];
    mock.on(ListBucketsCommand).callsFake(async () => pages.shift() ?? { Buckets: [] });
    mock.on(HeadBucketCommand).resolves({ BucketRegion: 'ap-southeast-1' });
    mock.on(GetBucketAclCommand).resolves({ Owner: { ID: 'someone-else' } });
    const holders = await Promise.all(['acme-logs-a', 'acme-logs-b', 'acme-incidents'].map((bucket) => bucketOwnership(s3, bucket)));
    expect(holders.map((h) => h.ownership)).toEqual(['ours', 'ours', 'foreign']);
    expect(mock.commandCalls(ListBucketsCommand).map((call) => call.args[0].input)).toEqual([
      { MaxBuckets: 1000, Prefix: 'acme-' },
      { MaxBuckets: 1000, Prefix: 'acme-', ContinuationToken: 'next' },
    ]);
    // A check made later gets a listing of its own (a listing is never kept past its batch).
    await bucketOwnership(s3, 'other-bucket');
    expect(mock.commandCalls(ListBucketsCommand).at(-1)?.args[0].input).toEqual({ MaxBuckets: 1000, Prefix: 'other-bucket' });
  });
});
