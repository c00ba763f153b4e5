// Two runs at once against moto: two processes applying setups of one source bucket (one replication configuration,
// one bucket policy) both keep their parts, because each holds the bucket's lock from its read to its last write. A
// lock left by a run that died is named with its holder and the command that breaks it; a live one makes the other
// run wait, then give up naming the holder. Nothing is written while another run holds the lock.

import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreatePolicyCommand, DeletePolicyCommand, ListPoliciesCommand } from '@aws-sdk/client-iam';
import { GetBucketReplicationCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, ensureBuilt, ROOT, runCli, seedArgs } from './support/cli.js';
import { startCountingProxy } from './support/counting-proxy.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

const env = (extra: Record<string, string> = {}) => ({ ...emu.env, AWS_ENDPOINT_URL: emu.endpoint, ...extra });
const lockName = (bucket: string) => `replicate-setup-lock.${bucket}`;

async function lockPolicies(side: 'source' | 'destination' = 'source'): Promise<string[]> {
  const listed = await emu.clients(side).iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
  return (listed.Policies ?? []).map((p) => p.PolicyName!).filter((name) => name.startsWith('replicate-setup-lock.'));
}

/** A fleet file of `n` fresh pairs between the two accounts, sharing one role. */
async function fleetOfPairs(tag: string, n: number): Promise<string> {
  const setups = Array.from({ length: n }, (_, i) => ({
    name: `${tag}-${i}`,
    sourceBucket: uniqueBucketName(`${tag}-src-${i}`),
    destBucket: uniqueBucketName(`${tag}-dst-${i}`),
  }));
  const file = join(emu.dir, `${tag}-${uniqueBucketName('f')}.json`);
  await writeFile(file, JSON.stringify({ defaults: { sourceProfile: 'xyz', destProfile: 'abcd', roleName: 's3_replication_role' }, setups }));
  return file;
}

/** The built CLI, sent Ctrl-C (SIGINT, or `signal`) once its progress shows `when` or `now()` says so; its exit code and output. */
function interruptedCli(
  args: string[],
  when: RegExp,
  { extraEnv = {}, now = () => false, signal = 'SIGINT' }: { extraEnv?: Record<string, string>; now?: () => boolean; signal?: NodeJS.Signals } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'replicate-setup.js'), ...args], {
      cwd: ROOT,
      env: cliEnv(env(extraEnv)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const interrupt = (): void => {
      if (sent) return;
      sent = true;
      clearInterval(watch);
      child.kill(signal);
    };
    const watch = setInterval(() => now() && interrupt(), 10);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (when.test(stderr)) interrupt();
    });
    child.on('close', () => clearInterval(watch));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function holdLock(bucket: string, until: Date): Promise<string> {
  const { Policy } = await emu.clients('source').iam.send(
    new CreatePolicyCommand({
      PolicyName: lockName(bucket),
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }] }),
      Description: `held by alice@ci-runner-7 pid 4242 (wizard ${bucket} → other) since 2026-01-01T00:00:00.000Z until ${until.toISOString()}`,
    }),
  );
  return Policy!.Arn!;
}

describe('two runs at once', () => {
  it('two processes applying two setups of one source bucket at the same moment both keep their rule and statements; the locks are gone after', async () => {
    const src = uniqueBucketName('shared-src');
    const [dst1, dst2] = [uniqueBucketName('dst-one'), uniqueBucketName('dst-two')];
    const one = seedArgs({ src, dst: dst1, role: 's3_replication_role' });
    const two = seedArgs({ src, dst: dst2, role: 's3_replication_role' });
    const [first, second] = await Promise.all([runCli(['wizard', '--yes', ...one], env()), runCli(['wizard', '--yes', ...two], env())]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const rules = (await emu.clients('source').s3.send(new GetBucketReplicationCommand({ Bucket: src }))).ReplicationConfiguration?.Rules ?? [];
    expect(rules.map((rule) => rule.Destination?.Bucket).sort()).toEqual([`arn:aws:s3:::${dst1}`, `arn:aws:s3:::${dst2}`].sort());
    // Each setup verifies clean afterwards: neither lost the other's part of the shared documents.
    for (const args of [one, two]) {
      const verified = await runCli(['verify', ...args.filter((a) => a !== '--yes')], env());
      expect(verified.code, verified.stdout).toBe(0);
    }
    expect(await lockPolicies()).toEqual([]);
  }, 180_000);

  it('a stale lock is reported with its holder and the command that breaks it; nothing is written', async () => {
    const src = uniqueBucketName('locked-src');
    const dst = uniqueBucketName('locked-dst');
    const arn = await holdLock(src, new Date(Date.now() - 60_000));
    const result = await runCli(['wizard', '--yes', ...seedArgs({ src, dst, role: 's3_replication_role' })], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stale');
    expect(result.stderr).toContain('alice@ci-runner-7 pid 4242');
    expect(result.stderr).toContain(`aws iam delete-policy --policy-arn ${arn} --profile xyz`);
    expect((await emu.clients('source').s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
  }, 120_000);

  it('a live lock makes the run wait, then stop naming the holder; once it is released the run goes through', async () => {
    const src = uniqueBucketName('busy-src');
    const dst = uniqueBucketName('busy-dst');
    const arn = await holdLock(src, new Date(Date.now() + 600_000));
    const args = ['wizard', '--yes', '--no-verify', ...seedArgs({ src, dst, role: 's3_replication_role' })];
    const waited = await runCli(args, env({ REPLICATE_SETUP_LOCK_WAIT_MS: '1500' }));
    expect(waited.code).toBe(1);
    expect(waited.stderr).toContain('Another run is writing');
    expect(waited.stderr).toContain('alice@ci-runner-7');
    expect((await emu.clients('source').s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);

    await emu.clients('source').iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    const done = await runCli(args, env());
    expect(done.code, done.stderr).toBe(0);
    expect(await lockPolicies()).toEqual([]);
  }, 120_000);

  it('Ctrl-C during a fleet wizard: the calls under way finish, nothing new starts, every lock is released (exit 130); a re-run finishes every setup', async () => {
    const file = await fleetOfPairs('int', 8);
    const stopped = await interruptedCli(['wizard', '--yes', '--no-verify', '--config', file], /✓ (Source|Destination) bucket /);
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain('Stopping: the calls under way finish, nothing new starts');
    expect(stopped.stdout).toMatch(/Interrupted: \d of 8 setups not finished/);
    expect(stopped.stdout).toMatch(/Running the same command again finishes the job/);
    expect([...(await lockPolicies('source')), ...(await lockPolicies('destination'))]).toEqual([]);

    const again = await runCli(['wizard', '--yes', '--config', file], env());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim().split('\n').at(-1)).toBe('All 8 setups ok.');
  }, 120_000);

  it('Ctrl-C while the wizard reads under its locks, before any step (the read slowed by a proxy): the locks are released, exit 130, nothing written', async () => {
    const src = uniqueBucketName('sigint-src');
    const dst = uniqueBucketName('sigint-dst');
    const proxy = await startCountingProxy(emu.endpoint);
    const lockCalls = () => proxy.calls.filter((call) => call.action === 'CreatePolicy').length;
    // Once both locks are taken, every later call takes a second: the run sits in its read under the locks.
    let locked: number | undefined;
    proxy.delay = () => {
      if (lockCalls() < 2) return 0;
      locked ??= proxy.calls.length - 1;
      return 1_000;
    };
    try {
      const stopped = await interruptedCli(['wizard', '--yes', ...seedArgs({ src, dst, role: 's3_replication_role' })], /(?!)/, {
        extraEnv: { AWS_ENDPOINT_URL: proxy.endpoint },
        now: () => locked !== undefined && proxy.calls.length > locked + 1,
      });
      expect(stopped.code, stopped.stderr).toBe(130);
      expect(stopped.stderr).toContain('Interrupted: releasing the locks this run holds');
      expect([...(await lockPolicies('source')), ...(await lockPolicies('destination'))]).toEqual([]);
      const buckets = await emu.clients('source').s3.send(new ListBucketsCommand({}));
      expect((buckets.Buckets ?? []).map((b) => b.Name)).not.toContain(src);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('SIGTERM (a cancelled CI job) during a fleet wizard stops it the same way: no lock is left', async () => {
    const file = await fleetOfPairs('term', 4);
    const stopped = await interruptedCli(['wizard', '--yes', '--no-verify', '--config', file], /✓ (Source|Destination) bucket /, { signal: 'SIGTERM' });
    // As shells report a process ended by SIGTERM (128 + 15), though this one stopped on its own terms.
    expect(stopped.code, stopped.stderr).toBe(143);
    expect(stopped.stdout).toMatch(/Interrupted: \d of 4 setups not finished/);
    expect([...(await lockPolicies('source')), ...(await lockPolicies('destination'))]).toEqual([]);
  }, 60_000);
});
