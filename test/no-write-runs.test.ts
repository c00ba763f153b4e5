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
});
