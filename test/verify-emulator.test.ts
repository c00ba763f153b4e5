// `verify` against moto with two accounts: a fresh setup verifies clean, then each kind of drift is made by hand with
// the SDK and must fail the right check with a remedy. Bucket names are unique per test (names are global in moto).
// Probes, the canary and the verify command are in test/verify-command.test.ts; shared helpers in test/support/verify.ts.

import { CreateUserCommand, GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  DeleteBucketPolicyCommand,
  DeleteBucketReplicationCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { RawOptions } from '../src/input/options.js';
import type { SetupInput } from '../src/input/types.js';
import { parsePolicy } from '../src/plan/compare.js';
import type { PolicyStatement } from '../src/plan/policy-types.js';
import type { VerifyReport } from '../src/verify/index.js';
import { pairSid, seedNames } from './support/fixtures.js';
import { CLINT, check, failed, seed, useProfiles, useVerifyEmulator } from './support/verify.js';

const { emu, setUp, verify } = useVerifyEmulator();

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
      'source.bucket',
      'source.versioning',
      'source.public-access-block',
      'source.encryption',
      'destination.bucket',
      'destination.versioning',
      'destination.public-access-block',
      'destination.encryption',
      'destination.object-ownership',
      'role.exists',
      'role.trust',
      'role.permissions',
      'role.least-privilege',
      'replication.configuration',
      'replication.rule',
      'replication.rtc',
      'replication.selection',
      'destination.policy',
      'source.policy',
      'source.policy.reader:tom-cruise',
      'source.policy.denied:clint-eastwood',
      'reader.identity:tom-cruise',
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
    expectFailed(
      report,
      ['destination.policy'],
      'has no bucket policy, so s3_replication_role (account 111111111111) cannot replicate into it',
      'replicate-setup wizard',
    );
  });

  it('suspended versioning', async () => {
    const { raw, report } = await afterDrift((raw) =>
      emu.clients('destination').s3.send(new PutBucketVersioningCommand({ Bucket: raw.destBucket, VersioningConfiguration: { Status: 'Suspended' } })),
    );
    expectFailed(report, ['destination.versioning'], 'versioning is Suspended', `put-bucket-versioning --bucket ${raw.destBucket} --profile abcd`);
  });

  it('an action removed from the role policy', async () => {
    const policyName = (raw: RawOptions): string =>
      seedNames({ source: { bucket: raw.sourceBucket! }, destination: { bucket: raw.destBucket! } } as SetupInput).rolePolicy;
    const { raw, report } = await afterDrift(async (raw) => {
      const { iam } = emu.clients('source');
      const PolicyName = policyName(raw);
      const policy = parsePolicy((await iam.send(new GetRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName }))).PolicyDocument)!;
      const statements = policy.Statement.map((s) => ({ ...s, Action: [s.Action ?? []].flat().filter((a) => a !== 's3:ReplicateDelete') }));
      await iam.send(
        new PutRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName, PolicyDocument: JSON.stringify({ ...policy, Statement: statements }) }),
      );
    });
    expectFailed(report, ['role.permissions'], `s3:ReplicateDelete on arn:aws:s3:::${raw.destBucket}/*`, policyName(raw));
  });

  it('a broader policy on the role', async () => {
    const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
    const { report } = await afterDrift(() =>
      emu
        .clients('source')
        .iam.send(new PutRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName: 's3-admin', PolicyDocument: JSON.stringify(admin) })),
    );
    expectFailed(report, ['role.least-privilege'], 'inline s3-admin allows s3:*, resource *', 'delete-role-policy');
  });

  it('clint-eastwood added to the source bucket policy', async () => {
    const { report } = await afterDrift(async (raw) => {
      const { s3 } = emu.clients('source');
      const policy = parsePolicy((await s3.send(new GetBucketPolicyCommand({ Bucket: raw.sourceBucket }))).Policy)!;
      const statements = policy.Statement.map(
        (s): PolicyStatement =>
          s.Sid === pairSid(raw.sourceBucket!, raw.destBucket!, 'AuthorizedRead')
            ? { ...s, Principal: { AWS: [...[(s.Principal as { AWS: string | string[] }).AWS].flat(), CLINT] } }
            : s,
      );
      await s3.send(new PutBucketPolicyCommand({ Bucket: raw.sourceBucket, Policy: JSON.stringify({ ...policy, Statement: statements }) }));
    });
    expectFailed(
      report,
      ['source.policy.denied:clint-eastwood', 'source.policy'],
      'grants clint-eastwood: ReplicateSetupAuthorizedRead',
      'replicate-setup wizard',
    );
    expect(check(report, 'source.policy').message).toMatch(/ReplicateSetupAuthorizedRead[0-9a-f]{12} was changed/);
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
    const ownerOnly = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Owner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:*', Resource: '*' }],
    };
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
