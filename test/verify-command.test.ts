// `verify` against moto with two accounts: the probes and the canary, and the verify command as a user runs it. Bucket
// names are unique per test (names are global in moto). Shared helpers in test/support/verify.ts.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CreateAccessKeyCommand } from '@aws-sdk/client-iam';
import { DeleteBucketPolicyCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { writeAwsProfiles } from '../src/emulator/accounts.js';
import type { RawOptions } from '../src/input/options.js';
import type { Check } from '../src/verify/index.js';
import { check, seed, useProfiles, useVerifyEmulator } from './support/verify.js';

const { emu, setUp, verify } = useVerifyEmulator();

describe('probes and the canary on the emulator', () => {
  it("probes with the users' own keys, and says a denied user's success proves nothing here", async () => {
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

    const report = await verify(raw, {
      probes: [
        { name: 'tom-cruise', profile: 'tom' },
        { name: 'clint-eastwood', profile: 'clint' },
      ],
    });
    expect(check(report, 'probe:tom-cruise')).toMatchObject({
      status: 'pass',
      message: expect.stringContaining(`read s3://${raw.sourceBucket}/incident-1.txt`),
    });
    expect(check(report, 'probe:tom-cruise').message).toContain('does not enforce bucket policies');
    expect(check(report, 'probe:clint-eastwood')).toMatchObject({ status: 'warn', message: expect.stringContaining('does not enforce bucket policies') });
    expect(report.ok).toBe(true);

    const wrongProfile = await verify(raw, { probes: [{ name: 'tom-cruise', profile: 'abcd' }] });
    expect(check(wrongProfile, 'probe:tom-cruise')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('arn:aws:iam::222222222222:user/admin, not arn:aws:iam::222222222222:user/tom-cruise'),
    });
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
    '--source-profile',
    raw.sourceProfile!,
    '--source-bucket',
    raw.sourceBucket!,
    '--dest-profile',
    raw.destProfile!,
    '--dest-bucket',
    raw.destBucket!,
    '--role-name',
    raw.roleName!,
    '--authorized-user',
    'tom-cruise',
    '--endpoint-url',
    emu.endpoint,
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
