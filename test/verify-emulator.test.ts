// `verify` against moto with two accounts: a fresh setup verifies clean, then each kind of drift is made by hand with
// the SDK and must fail the right check with a remedy. Bucket names are unique per test (names are global in moto).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  DeleteBucketPolicyCommand,
  DeleteBucketReplicationCommand,
  GetBucketPolicyCommand,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { CreateAccessKeyCommand, CreateUserCommand, GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inputAndClients } from '../src/commands/common.js';
import { applySetup, prepareSetup } from '../src/engine/setup.js';
import type { RetryPolicy } from '../src/engine/retry.js';
import type { RawOptions } from '../src/input/options.js';
import { parsePolicy } from '../src/plan/compare.js';
import type { PolicyStatement } from '../src/plan/policy-types.js';
import { writeAwsProfiles } from '../src/emulator/accounts.js';
import { runVerification, type Check, type VerifyOptions, type VerifyReport } from '../src/verify/index.js';
import { sourceSid } from '../src/plan/names.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { isWrite, recordCalls } from './support/record.js';

const emu = useEmulator();
const NO_WAIT: RetryPolicy = { attempts: 3, firstDelayMs: 0, maxDelayMs: 0, sleep: async () => undefined };
const CLINT = 'arn:aws:iam::222222222222:user/clint-eastwood';

afterEach(() => {
  vi.unstubAllEnvs();
});

function seed(): RawOptions {
  return {
    sourceProfile: 'xyz',
    sourceBucket: uniqueBucketName('rubes-s3-bucket'),
    destProfile: 'abcd',
    destBucket: uniqueBucketName('clint-s3-bucket'),
    roleName: 's3_replication_role',
    authorizedUser: ['tom-cruise'],
  };
}

const useProfiles = (env: Record<string, string>): void => {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
};

/** The real setup, as wizard does it. */
async function setUp(raw: RawOptions): Promise<void> {
  useProfiles(emu.env);
  const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
  await applySetup(await prepareSetup(input, clients, () => undefined), clients, () => undefined, { retry: NO_WAIT });
}

async function verify(raw: RawOptions, options: Partial<VerifyOptions> = {}): Promise<VerifyReport & { writes: string[] }> {
  const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
  const calls = recordCalls(clients);
  const report = await runVerification(input, clients, { expectDenied: ['clint-eastwood'], probes: [], ...options }, () => undefined);
  return { ...report, writes: calls.filter(isWrite).map((c) => c.command) };
}

const check = (report: VerifyReport, id: string): Check => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
};

const failed = (report: VerifyReport): string[] => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);

describe('verify after a fresh setup', () => {
  it('passes every check, writes nothing, and says what the emulator cannot prove', async () => {
    const raw = seed();
    await setUp(raw);
    const report = await verify(raw);

    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.writes).toEqual([]);
    expect(report.checks.filter((c) => c.status === 'warn')).toEqual([]);
    for (const id of [
      'source.bucket', 'source.versioning', 'source.public-access-block', 'source.encryption',
      'destination.bucket', 'destination.versioning', 'destination.public-access-block', 'destination.encryption', 'destination.object-ownership',
      'role.exists', 'role.trust', 'role.permissions', 'role.least-privilege',
      'replication.configuration', 'replication.rule', 'replication.rtc', 'replication.selection',
      'destination.policy', 'source.policy', 'source.policy.reader:tom-cruise', 'source.policy.denied:clint-eastwood', 'reader.identity:tom-cruise',
    ]) {
      expect(check(report, id).status, id).toBe('pass');
    }
    expect(check(report, 'source.bucket').message).toContain('ap-southeast-1, account 111111111111 (profile xyz)');
    expect(check(report, 'source.encryption').message).toContain('SSE-S3 (AES256)');
    // moto does not echo the selection: the fingerprint is the evidence, and the message says so.
    expect(check(report, 'replication.selection').message).toMatch(/fingerprint @[0-9a-f]{8}.*not proven/);
    // moto answers SimulatePrincipalPolicy with HTTP 500: skipped, with the reason.
    for (const id of ['simulate.reader:tom-cruise', 'simulate.denied:clint-eastwood']) {
      expect(check(report, id)).toMatchObject({ status: 'skip', message: expect.stringContaining('does not implement iam:SimulatePrincipalPolicy') });
    }
  });

  it('fails (without crashing) when nothing was set up', async () => {
    useProfiles(emu.env);
    const report = await verify(seed());
    expect(report.ok).toBe(false);
    expect(failed(report)).toEqual(expect.arrayContaining(['source.bucket', 'destination.bucket', 'role.exists']));
    expect(check(report, 'source.bucket').remedy).toContain('replicate-setup wizard');
    expect(check(report, 'source.versioning').status).toBe('skip');
    expect(check(report, 'replication.configuration').status).toBe('skip');
  });

  it('fails the bucket check when the bucket is in another region than the flags say', async () => {
    const raw = seed();
    await setUp(raw);
    const report = await verify({ ...raw, sourceRegion: 'eu-west-1' });
    expect(report.ok).toBe(false);
    expect(check(report, 'source.bucket')).toMatchObject({ status: 'fail', message: expect.stringContaining('ap-southeast-1') });
  });
});

describe('verify finds drift made by hand', () => {
  /** A fresh setup, the drift, then verify. */
  async function afterDrift(drift: (raw: RawOptions) => Promise<unknown>): Promise<{ raw: RawOptions; report: VerifyReport }> {
    const raw = seed();
    await setUp(raw);
    await drift(raw);
    return { raw, report: await verify(raw) };
  }

  /** Exactly these checks failed; the first says `message` and tells the user `remedy`. */
  function expectFailed(report: VerifyReport, ids: string[], message: string, remedy: string): void {
    expect(failed(report).sort()).toEqual([...ids].sort());
    expect(report.ok).toBe(false);
    expect(check(report, ids[0]!).message).toContain(message);
    expect(check(report, ids[0]!).remedy).toContain(remedy);
  }

  it('a deleted destination bucket policy', async () => {
    const { report } = await afterDrift((raw) => emu.clients('destination').s3.send(new DeleteBucketPolicyCommand({ Bucket: raw.destBucket })));
    expectFailed(report, ['destination.policy'], 'has no bucket policy, so s3_replication_role (account 111111111111) cannot replicate into it', 'replicate-setup wizard');
  });

  it('suspended versioning', async () => {
    const { raw, report } = await afterDrift((raw) =>
      emu.clients('destination').s3.send(new PutBucketVersioningCommand({ Bucket: raw.destBucket, VersioningConfiguration: { Status: 'Suspended' } })),
    );
    expectFailed(report, ['destination.versioning'], 'versioning is Suspended', `put-bucket-versioning --bucket ${raw.destBucket} --profile abcd`);
  });

  it('an action removed from the role policy', async () => {
    const policyName = (raw: RawOptions): string => `replicate-setup-replication-${raw.sourceBucket}-to-${raw.destBucket}`;
    const { raw, report } = await afterDrift(async (raw) => {
      const { iam } = emu.clients('source');
      const PolicyName = policyName(raw);
      const policy = parsePolicy((await iam.send(new GetRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName }))).PolicyDocument)!;
      const statements = policy.Statement.map((s) => ({ ...s, Action: [s.Action ?? []].flat().filter((a) => a !== 's3:ReplicateDelete') }));
      await iam.send(new PutRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName, PolicyDocument: JSON.stringify({ ...policy, Statement: statements }) }));
    });
    expectFailed(report, ['role.permissions'], `s3:ReplicateDelete on arn:aws:s3:::${raw.destBucket}/*`, policyName(raw));
  });

  it('a broader policy on the role', async () => {
    const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
    const { report } = await afterDrift(() =>
      emu.clients('source').iam.send(new PutRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName: 's3-admin', PolicyDocument: JSON.stringify(admin) })),
    );
    expectFailed(report, ['role.least-privilege'], 'inline s3-admin allows s3:*, resource *', 'delete-role-policy');
  });

  it('clint-eastwood added to the source bucket policy', async () => {
    const { report } = await afterDrift(async (raw) => {
      const { s3 } = emu.clients('source');
      const policy = parsePolicy((await s3.send(new GetBucketPolicyCommand({ Bucket: raw.sourceBucket }))).Policy)!;
      const statements = policy.Statement.map((s): PolicyStatement =>
        s.Sid === sourceSid('AuthorizedRead', raw.destBucket!) ? { ...s, Principal: { AWS: [...[(s.Principal as { AWS: string | string[] }).AWS].flat(), CLINT] } } : s,
      );
      await s3.send(new PutBucketPolicyCommand({ Bucket: raw.sourceBucket, Policy: JSON.stringify({ ...policy, Statement: statements }) }));
    });
    expectFailed(report, ['source.policy.denied:clint-eastwood', 'source.policy'], 'grants clint-eastwood: ReplicateSetupAuthorizedReadTo', 'replicate-setup wizard');
    expect(check(report, 'source.policy').message).toMatch(/ReplicateSetupAuthorizedReadTo\w+ was changed/);
    expect(check(report, 'source.policy.reader:tom-cruise').status).toBe('pass');
  });

  it('a deleted replication configuration', async () => {
    const { report } = await afterDrift((raw) => emu.clients('source').s3.send(new DeleteBucketReplicationCommand({ Bucket: raw.sourceBucket })));
    expectFailed(report, ['replication.configuration'], 'has no replication configuration', 'replicate-setup wizard');
    expect(check(report, 'replication.rule').status).toBe('skip');
  });

  it("the replication role's grant removed from the destination KMS key policy (sse-kms)", async () => {
    const raw = { ...seed(), encryption: 'sse-kms' };
    await setUp(raw);
    const { kms } = emu.clients('destination');
    const key = await kms.send(new DescribeKeyCommand({ KeyId: `alias/replicate-setup-${raw.destBucket}` }));
    const ownerOnly = { Version: '2012-10-17', Statement: [{ Sid: 'Owner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:*', Resource: '*' }] };
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyMetadata!.KeyId!, PolicyName: 'default', Policy: JSON.stringify(ownerOnly) }));
    const report = await verify(raw);
    expect(failed(report)).toEqual(['destination.kms-key-policy']);
    expect(check(report, 'destination.kms-key-policy').message).toContain('not as set up (update pending)');
    expect(check(report, 'destination.kms-key-policy').remedy).toContain('replicate-setup wizard');
  });

  it('a rule written for another selection (another --prefix)', async () => {
    const raw = seed();
    await setUp(raw);
    const report = await verify({ ...raw, prefix: 'reports/' });
    expect(failed(report)).toContain('replication.selection');
    expect(check(report, 'replication.selection').message).toContain('prefix "reports/"');
  });
});

describe('probes and the canary on the emulator', () => {
  it('probes with the users\' own keys, and says a denied user\'s success proves nothing here', async () => {
    const raw = seed();
    await setUp(raw);
    const { iam } = emu.clients('destination');
    const keys = async (UserName: string) => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
      return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    };
    const { setup } = emu;
    const files = await writeAwsProfiles(join(emu.dir, `probe-${Date.now()}`), [
      { name: 'xyz', region: setup.regions.source, credentials: setup.credentials.source },
      { name: 'abcd', region: setup.regions.destination, credentials: setup.credentials.destination },
      { name: 'tom', region: setup.regions.destination, credentials: await keys('tom-cruise') },
      { name: 'clint', region: setup.regions.destination, credentials: await keys('clint-eastwood') },
    ]);
    useProfiles(files.env);
    await emu.clients('source').s3.send(new PutObjectCommand({ Bucket: raw.sourceBucket, Key: 'incident-1.txt', Body: 'L2 report' }));

    const report = await verify(raw, { probes: [{ name: 'tom-cruise', profile: 'tom' }, { name: 'clint-eastwood', profile: 'clint' }] });
    expect(check(report, 'probe:tom-cruise')).toMatchObject({ status: 'pass', message: expect.stringContaining(`read s3://${raw.sourceBucket}/incident-1.txt`) });
    expect(check(report, 'probe:tom-cruise').message).toContain('does not enforce bucket policies');
    expect(check(report, 'probe:clint-eastwood')).toMatchObject({ status: 'warn', message: expect.stringContaining('does not enforce bucket policies') });
    expect(report.ok).toBe(true);

    const wrongProfile = await verify(raw, { probes: [{ name: 'tom-cruise', profile: 'abcd' }] });
    expect(check(wrongProfile, 'probe:tom-cruise')).toMatchObject({ status: 'warn', message: expect.stringContaining('arn:aws:iam::222222222222:user/admin, not arn:aws:iam::222222222222:user/tom-cruise') });
  });

  it('puts a canary, says replication could not be proven, and deletes it', async () => {
    const raw = seed();
    await setUp(raw);
    const report = await verify(raw, { canary: { timeoutSeconds: 900 } });
    expect(check(report, 'canary')).toMatchObject({ status: 'warn', message: expect.stringContaining('replication could not be proven') });
    expect(check(report, 'canary').message).toContain('canary deleted from both buckets');
    expect(report.writes).toEqual(['PutObject', 'DeleteObject']);
    const left = await emu.clients('source').s3.send(new ListObjectVersionsCommand({ Bucket: raw.sourceBucket }));
    expect([...(left.Versions ?? []), ...(left.DeleteMarkers ?? [])]).toEqual([]);
  });
});

describe('the verify command', () => {
  const cli = join(import.meta.dirname, '..', 'bin', 'replicate-setup.js');
  const flags = (raw: RawOptions): string[] => [
    '--source-profile', raw.sourceProfile!, '--source-bucket', raw.sourceBucket!, '--dest-profile', raw.destProfile!,
    '--dest-bucket', raw.destBucket!, '--role-name', raw.roleName!, '--authorized-user', 'tom-cruise', '--endpoint-url', emu.endpoint,
  ];
  const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cli, 'verify', ...args], { env: { ...process.env, ...emu.env, NO_COLOR: '1', FORCE_COLOR: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('prints one JSON object and exits 0 when clean, 1 on drift, 2 on bad flags', async () => {
    const raw = seed();
    await setUp(raw);
    const clean = await run([...flags(raw), '--expect-denied', 'clint-eastwood', '--json']);
    expect(clean.code).toBe(0);
    const json = JSON.parse(clean.stdout) as { ok: boolean; checks: Check[] };
    expect(json.ok).toBe(true);
    for (const c of json.checks) {
      expect(Object.keys(c).every((k) => ['id', 'status', 'message', 'remedy'].includes(k))).toBe(true);
      expect(['pass', 'fail', 'warn', 'skip']).toContain(c.status);
    }

    await emu.clients('destination').s3.send(new DeleteBucketPolicyCommand({ Bucket: raw.destBucket }));
    const drift = await run(flags(raw));
    expect(drift.code).toBe(1);
    expect(drift.stdout).not.toMatch(/\u001b\[/);
    expect(drift.stdout).toMatch(/✗ destination\.policy +.*has no bucket policy/);
    expect(drift.stdout).toMatch(/→ Run `replicate-setup wizard` with the same flags/);
    expect(drift.stdout).toMatch(/Verify failed: 1 of \d+ checks failed/);

    const bad = await run([...flags(raw), '--canary-timeout', 'soon', '--probe-profile', 'nobody']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--canary-timeout: needs --canary');
    expect(bad.stderr).toContain('--probe-profile: "nobody" is not NAME=PROFILE');
  });
});

describe('verify after other setups', () => {
  it.each([
    ['sse-kms with new keys', { encryption: 'sse-kms' }],
    ['a prefix, uploaders and no RTC', { prefix: 'incidents/', uploader: ['alice'], rtc: false, deleteMarkerReplication: false }],
    ['the log-backup preset', { preset: 'log-backup' }],
  ] as [string, Partial<RawOptions>][])('%s verifies clean', async (_name, extra) => {
    useProfiles(emu.env);
    if (extra.uploader) await emu.clients('source').iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const raw = { ...seed(), ...extra };
    await setUp(raw);
    const report = await verify(raw);
    expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
