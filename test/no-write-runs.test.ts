// Runs that must not write anything to AWS, seen on the wire (a loopback proxy in front of moto reads each request's
// method and action): a re-run with nothing to change, a teardown with nothing to remove, and input found bad by the
// read-only preflight. "Nothing written" here means no request that changes anything, not even a lock.
import { CreateBucketCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, pairArgs, runCli } from './support/cli.js';
import { type CountingProxy, startCountingProxy } from './support/counting-proxy.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();
let proxy: CountingProxy | undefined;

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const READ_ACTION = /^(Get|List|Describe|Head|Simulate)/;

/** The requests of a run that change something: S3 writes by method, the others by the action they name. */
const writesOf = (calls: CountingProxy['calls']): string[] =>
  calls
    .filter((call) => (call.action ? !READ_ACTION.test(call.action) : !['GET', 'HEAD'].includes(call.method)))
    .map((call) => `${call.method} ${call.url} ${call.action ?? ''}`.trim());

async function throughProxy(args: string[]): Promise<{ code: number | null; writes: string[]; calls: number; output: string }> {
  proxy ??= await startCountingProxy(emu.endpoint);
  const before = proxy.calls.length;
  const result = await runCli(args, { ...emu.env, AWS_ENDPOINT_URL: proxy.endpoint });
  const calls = proxy.calls.slice(before);
  return { code: result.code, writes: writesOf(calls), calls: calls.length, output: result.stdout + result.stderr };
}

describe('runs that write nothing, seen on the wire (loopback proxy, moto)', () => {
  it('a re-run with nothing to change and a teardown with nothing to remove send no write, not even a lock', async () => {
    const args = pairArgs(uniqueBucketName('rubes-s3-bucket'), uniqueBucketName('clint-s3-bucket'), ['--authorized-user', 'tom-cruise']);
    const first = await throughProxy(['wizard', '--yes', '--json', ...args]);
    expect(first.code, first.output).toBe(0);
    expect(first.writes.length).toBeGreaterThan(10);

    const again = await throughProxy(['wizard', '--yes', '--json', ...args]);
    expect(again.code, again.output).toBe(0);
    expect(again.calls).toBeGreaterThan(10);
    expect(again.writes).toEqual([]);

    expect((await throughProxy(['teardown', '--yes', '--json', ...args])).code).toBe(0);
    const nothingLeft = await throughProxy(['teardown', '--yes', '--json', ...args]);
    expect(nothingLeft.code, nothingLeft.output).toBe(0);
    expect(nothingLeft.writes).toEqual([]);
  }, 60_000);

  it('input the preflight finds bad (a bucket of ours in another region) exits 2 having sent no write', async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const { s3 } = emu.clients('source');
    await s3.send(new CreateBucketCommand({ Bucket: source, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: source, VersioningConfiguration: { Status: 'Enabled' } }));
    const refused = await throughProxy(['wizard', '--yes', ...pairArgs(source, uniqueBucketName('clint-s3-bucket'), ['--source-region', 'ap-southeast-2'])]);
    expect(refused.code, refused.output).toBe(2);
    expect(refused.output).toContain('--source-region');
    expect(refused.calls).toBeGreaterThan(0);
    expect(refused.writes).toEqual([]);
  });

  it('fresh buckets and a reader that does not exist: the preflight refuses it (exit 2) before any lock, though such a run locks first', async () => {
    const args = pairArgs(uniqueBucketName('rubes-s3-bucket'), uniqueBucketName('clint-s3-bucket'), ['--authorized-user', 'nobody-of-that-name']);
    const refused = await throughProxy(['wizard', '--yes', ...args]);
    expect(refused.code, refused.output).toBe(2);
    expect(refused.output).toContain('--authorized-user');
    expect(refused.writes).toEqual([]);
  });
});

describe('when the locks are taken (loopback proxy, moto)', () => {
  const lockAt = (calls: CountingProxy['calls']): number => calls.findIndex((call) => call.action === 'CreatePolicy');
  const bucketReadsBefore = (calls: CountingProxy['calls'], end: number): string[] =>
    calls
      .slice(0, end)
      .filter((call) => call.method === 'GET' && /[?&](versioning|policy|replication|encryption)/.test(call.url))
      .map((call) => call.url);

  it('a new setup locks straight after the preflight (a new source bucket means writing) and reads its documents once, under the lock', async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const args = pairArgs(source, uniqueBucketName('clint-s3-bucket'), ['--authorized-user', 'tom-cruise']);
    proxy ??= await startCountingProxy(emu.endpoint);
    const before = proxy.calls.length;
    const run = await runCli(['wizard', '--yes', '--json', ...args], { ...emu.env, AWS_ENDPOINT_URL: proxy.endpoint });
    expect(run.code, run.stderr).toBe(0);
    const calls = proxy.calls.slice(before);
    const lock = lockAt(calls);
    expect(lock).toBeGreaterThan(0);
    // Before the lock: who each profile is, who holds each bucket name, whether the reader exists. Nothing named by the
    // setup's ids (its role policy, its reader policy) is read twice.
    const beforeLock = calls.slice(0, lock).map((call) => call.action ?? call.method);
    expect(new Set(beforeLock)).toEqual(new Set(['GetCallerIdentity', 'GET', 'HEAD', 'GetUser']));
    expect(calls.slice(0, lock).filter((call) => call.action === 'GetRolePolicy' || call.action === 'GetUserPolicy')).toEqual([]);
    expect(calls.slice(lock).some((call) => call.action === 'GetRolePolicy')).toBe(true);
    // What the run has already seen is confirmed by HeadBucket alone: the names it found free (under the lock) and the
    // buckets it created (closing verify) are not listed again; the reader is looked up once.
    expect(calls.filter((call) => call.method === 'GET' && /\/\?(.*&)?prefix=/.test(call.url)).length).toBe(2);
    expect(calls.filter((call) => call.action === 'GetUser').length).toBe(1);
  });

  it('a setup whose buckets exist reads everything before it decides to lock, and again under the lock', async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const args = pairArgs(source, uniqueBucketName('clint-s3-bucket'), ['--authorized-user', 'tom-cruise']);
    expect((await throughProxy(['wizard', '--yes', '--json', '--no-verify', ...args])).code).toBe(0);
    const before = proxy!.calls.length;
    // A change to make (a prefix) on buckets that exist: the plan is needed to know it writes.
    const run = await runCli(['wizard', '--yes', '--json', '--no-verify', ...args, '--prefix', 'reports/'], { ...emu.env, AWS_ENDPOINT_URL: proxy!.endpoint });
    expect(run.code, run.stderr).toBe(0);
    const calls = proxy!.calls.slice(before);
    const lock = lockAt(calls);
    expect(lock).toBeGreaterThan(0);
    expect(bucketReadsBefore(calls, lock).length).toBeGreaterThan(0);
    expect(bucketReadsBefore(calls.slice(lock), calls.length - lock).length).toBeGreaterThan(0);
  });
});
