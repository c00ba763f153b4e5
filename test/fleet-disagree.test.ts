// A fleet file whose setups contradict each other, through the built CLI against moto: two setups of one bucket
// pair, one bucket in two regions or two accounts are refused before any write (exit 2; every call counted by a
// proxy is an identity read); a bad default or flag is named once, where it was written; and a fleet verify lists the
// checks that failed, with what to do, under its table.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListPoliciesCommand } from '@aws-sdk/client-iam';
import { DeleteBucketPolicyCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, onlyJsonObject, runCli } from './support/cli.js';
import { useCountingProxies } from './support/counting-proxy.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();
const proxies = useCountingProxies();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

const env = (endpoint = emu.endpoint) => ({ ...emu.env, AWS_ENDPOINT_URL: endpoint });
const defaults = { sourceProfile: 'xyz', destProfile: 'abcd', roleName: 's3_replication_role' };

async function writeFleet(name: string, content: object): Promise<string> {
  const path = join(emu.dir, name);
  await writeFile(path, JSON.stringify(content));
  return path;
}

async function nothingWritten(): Promise<void> {
  for (const side of ['source', 'destination'] as const) {
    const { s3, iam } = emu.clients(side);
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    expect((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []).toEqual([]);
  }
}

describe("a fleet's setups that contradict each other, through the built CLI", () => {
  it('two setups of one bucket pair, and one bucket in two regions: every contradiction named with its path, exit 2, nothing written', async () => {
    const [src, dst, mid, far] = ['pair-src', 'pair-dst', 'mid', 'far'].map(uniqueBucketName);
    const file = await writeFleet('pairs.json', {
      defaults,
      setups: [
        { name: 'd1', sourceBucket: src, destBucket: dst, prefix: 'a/' },
        { name: 'd2', sourceBucket: src, destBucket: dst, prefix: 'b/' },
        { name: 'r1', sourceBucket: uniqueBucketName('r-src'), destBucket: mid },
        { name: 'r2', sourceBucket: mid, destBucket: far, sourceProfile: 'abcd', sourceRegion: 'us-east-1' },
      ],
    });
    for (const command of [['plan'], ['wizard', '--yes']]) {
      const refused = await runCli([...command, '--config', file, '--json'], env());
      expect(refused.code, refused.stderr).toBe(2);
      const problems = (onlyJsonObject(refused.stdout).error as { problems: { flag: string; message: string }[] }).problems;
      expect(problems).toEqual([
        { flag: 'setups[1].destBucket', message: expect.stringContaining('as setups[0] (d1) does: one setup per bucket pair') },
        { flag: 'setups[3].sourceBucket', message: expect.stringContaining(`"${mid}" is in us-east-1 here but in ap-southeast-2 for setups[2] (r1)`) },
      ]);
    }
    await nothingWritten();
  });

  it("one bucket named with two profiles of different accounts: refused after each profile's identity is asked, before any write (exit 2, counted by a proxy)", async () => {
    const mid = uniqueBucketName('shared-mid');
    const file = await writeFleet('accounts.json', {
      defaults,
      setups: [
        { name: 'x1', sourceBucket: uniqueBucketName('x-src'), destBucket: mid },
        // The same region as x1 gives it: only the account tells them apart.
        { name: 'x2', sourceBucket: mid, destBucket: uniqueBucketName('x-dst'), sourceRegion: 'ap-southeast-2' },
        { name: 'fine', sourceBucket: uniqueBucketName('fine-src'), destBucket: uniqueBucketName('fine-dst') },
      ],
    });
    const proxy = await proxies.start(emu.endpoint);
    const refused = await runCli(['wizard', '--yes', '--config', file], env(proxy.endpoint));
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(
      `setups[1].sourceBucket: "${mid}" is in account ${emu.accounts.source} here (profile xyz) but in account ${emu.accounts.destination} for setups[0] (x1) (profile abcd): a bucket belongs to one account [x2]`,
    );
    expect(refused.stderr).toContain('Fix what is named above (flags, or keys of the --config file)');
    expect(new Set(proxy.calls.map((call) => call.action))).toEqual(new Set(['GetCallerIdentity']));
    await nothingWritten();
  });

  it('a bad value in defaults is named once at defaults.KEY, and a bad flag once by its flag, not once per setup', async () => {
    const setups = [1, 2, 3].map((n) => ({ name: `s${n}`, sourceBucket: uniqueBucketName(`d-src-${n}`), destBucket: uniqueBucketName(`d-dst-${n}`) }));
    const file = await writeFleet('defaults.json', { defaults: { ...defaults, prefix: '/abs' }, setups });
    const refused = await runCli(['plan', '--config', file, '--dest-region', 'mars-1'], env());
    expect(refused.code, refused.stderr).toBe(2);
    const lines = refused.stderr.split('\n');
    expect(lines.filter((line) => line.includes('defaults.prefix: (--prefix) must not start with "/"'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('--dest-region: "mars-1"'))).toHaveLength(1);
    expect(refused.stderr).not.toMatch(/setups\[\d\]\.(prefix|destRegion)/);
  });

  it("permissions and export (one setup) refuse --only without a fleet, and name an --only that is no setup's", async () => {
    const one = await writeFleet('one.json', { ...defaults, sourceBucket: uniqueBucketName('o-src'), destBucket: uniqueBucketName('o-dst') });
    const fleet = await writeFleet('two.json', {
      defaults,
      setups: ['a', 'b'].map((name) => ({ name, sourceBucket: uniqueBucketName(`${name}-src`), destBucket: uniqueBucketName(`${name}-dst`) })),
    });
    for (const command of [['permissions'], ['export', '--format', 'terraform']]) {
      const alone = await runCli([...command, '--config', one, '--only', 'zzz'], env());
      expect(alone.code, alone.stderr).toBe(2);
      expect(alone.stderr).toContain('--only: selects setups of a fleet --config file');
      const unknown = await runCli([...command, '--config', fleet, '--only', 'zzz'], env());
      expect(unknown.code, unknown.stderr).toBe(2);
      expect(unknown.stderr).toContain('--only: no setup is named "zzz" (setups: a, b)');
    }
    await nothingWritten();
  });

  it('a fleet verify lists the checks that failed under its table, each with what to do; a re-run of the wizard says "nothing to change"', async () => {
    const src = uniqueBucketName('v-src');
    const dst = uniqueBucketName('v-dst');
    const file = await writeFleet('verify.json', { defaults, setups: [{ name: 'broken', sourceBucket: src, destBucket: dst }] });
    const applied = await runCli(['wizard', '--yes', '--config', file], env());
    expect(applied.code, applied.stderr).toBe(0);
    const again = await runCli(['wizard', '--yes', '--no-verify', '--config', file], env());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/broken\s+ok\s+nothing to change \(\d+ unchanged\)/);

    await emu.clients('destination').s3.send(new DeleteBucketPolicyCommand({ Bucket: dst }));
    const verified = await runCli(['verify', '--config', file], env());
    expect(verified.code, verified.stderr).toBe(1);
    expect(verified.stdout).toMatch(/broken\s+FAILED\s+\d+ checks? failed: \S+/);
    const details = verified.stdout.slice(verified.stdout.indexOf('\nbroken:\n'));
    expect(details).toMatch(/\n {2}✗ \S+ {2}.+\n {4}→ .+/);
  });
});
