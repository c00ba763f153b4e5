// Many setups from one --config file, through the built CLI against moto: every problem of the file at once with its
// path, then all five apply, verify clean and re-run as no-op; --only touches one setup; a setup refused by an
// injected AccessDenied (a loopback proxy, since moto does not enforce IAM here) leaves the others done and a re-run
// finishes it; twenty setups never exceed the per-account, per-service limit of calls in flight (counted by the proxy).

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, onlyJsonObject, runCli } from './support/cli.js';
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

interface SetupReport {
  name: string;
  ok: boolean;
  steps: { id: string; action: string; status?: string }[];
  verification?: { ok: boolean };
  error?: { code: string; message: string };
}

const env = (endpoint = emu.endpoint, extra: Record<string, string> = {}) => ({ ...emu.env, AWS_ENDPOINT_URL: endpoint, ...extra });

/** Five setups: two share a source, two share a destination, one is a same-account log backup. */
function fiveSetups() {
  const b = {
    partnerA: uniqueBucketName('partner-a'),
    partnerB: uniqueBucketName('partner-b'),
    backup1: uniqueBucketName('backup-one'),
    backup2: uniqueBucketName('backup-two'),
    logs: uniqueBucketName('app-logs'),
    logsCopy: uniqueBucketName('log-copy'),
    extra: uniqueBucketName('extra'),
    extraCopy: uniqueBucketName('extra-copy'),
  };
  const setups = [
    { name: 'incidents', sourceBucket: b.partnerA, destBucket: b.backup1, authorizedUser: ['tom-cruise'] },
    { name: 'incidents-eu', sourceBucket: b.partnerA, destBucket: b.backup2, prefix: 'eu/' },
    { name: 'partner-b', sourceBucket: b.partnerB, destBucket: b.backup1 },
    {
      name: 'logs',
      sourceBucket: b.logs,
      destProfile: 'xyz',
      destRegion: 'ap-southeast-2',
      destBucket: b.logsCopy,
      roleName: 'log-backup-role',
      preset: 'log-backup',
    },
    { sourceBucket: b.extra, destBucket: b.extraCopy },
  ];
  return { b, setups, defaults: { sourceProfile: 'xyz', destProfile: 'abcd', roleName: 's3_replication_role' } };
}

async function bucketNames(): Promise<string[]> {
  const names = await Promise.all(
    (['source', 'destination'] as const).map(async (side) => ((await emu.clients(side).s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((x) => x.Name!)),
  );
  return names.flat().sort();
}

async function writeFleet(name: string, content: object): Promise<string> {
  const path = join(emu.dir, name);
  await writeFile(path, JSON.stringify(content));
  return path;
}

describe('a fleet file through the built CLI', () => {
  it('reports every problem of a five-setup file at once with its path (exit 2, nothing written); fixed, all apply and verify; a re-run is all no-op', async () => {
    const { b, setups, defaults } = fiveSetups();
    const broken = structuredClone(setups) as Record<string, unknown>[];
    broken[4]!.destBucket = 'Not_A_Bucket';
    broken[2]!.rtc = 'yes';
    broken[1]!.destBuckt = 'typo';
    const badFile = await writeFleet('broken.json', { defaults, setups: broken });
    const refused = await runCli(['wizard', '--yes', '--config', badFile], env());
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('setups[1].destBuckt');
    expect(refused.stderr).toContain('setups[2].rtc');
    // Keys of the wrong name or type do not hide the values' problems: one message names them all.
    expect(refused.stderr).toContain('setups[4].destBucket: (--dest-bucket) "Not_A_Bucket"');
    expect(await bucketNames()).toEqual([]);

    const invalid = structuredClone(setups) as Record<string, unknown>[];
    invalid[4]!.destBucket = 'Not_A_Bucket';
    const invalidFile = await writeFleet('invalid.json', { defaults, setups: invalid });
    const refusedAgain = await runCli(['wizard', '--yes', '--config', invalidFile, '--json'], env());
    expect(refusedAgain.code).toBe(2);
    const problems = (onlyJsonObject(refusedAgain.stdout).error as { problems: { flag: string }[] }).problems.map((p) => p.flag);
    expect(problems).toContain('setups[4].destBucket');
    expect(await bucketNames()).toEqual([]);

    const file = await writeFleet('fleet.json', { defaults, setups });
    const applied = await runCli(['wizard', '--yes', '--config', file, '--json'], env());
    expect(applied.code, applied.stderr).toBe(0);
    const report = onlyJsonObject(applied.stdout) as { ok: boolean; setups: SetupReport[] };
    expect(report.ok).toBe(true);
    expect(report.setups.map((s) => s.name)).toEqual(['incidents', 'incidents-eu', 'partner-b', 'logs', `${b.extra}→${b.extraCopy}`]);
    for (const setup of report.setups)
      expect({ name: setup.name, ok: setup.ok, verified: setup.verification?.ok }).toEqual({ name: setup.name, ok: true, verified: true });
    expect(await bucketNames()).toEqual(Object.values(b).sort());

    const verified = await runCli(['verify', '--config', file, '--json'], env());
    expect(verified.code, verified.stdout).toBe(0);
    expect((onlyJsonObject(verified.stdout).setups as SetupReport[]).every((s) => s.ok)).toBe(true);

    const again = await runCli(['wizard', '--yes', '--no-verify', '--config', file, '--json'], env());
    expect(again.code, again.stderr).toBe(0);
    const steps = (onlyJsonObject(again.stdout).setups as SetupReport[]).flatMap((s) => s.steps);
    expect(steps.length).toBeGreaterThan(50);
    expect(steps.filter((step) => step.action !== 'no-op')).toEqual([]);

    const plan = await runCli(['plan', '--config', file], env());
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Account 111111111111');
    expect(plan.stdout).toMatch(/incidents-eu\s+ok\s+nothing to change \(\d+ unchanged\)/);
  }, 240_000);

  it('--only touches only the named setup, for wizard and for teardown', async () => {
    const { b, setups, defaults } = fiveSetups();
    const file = await writeFleet('fleet.json', { defaults, setups });
    const result = await runCli(['wizard', '--yes', '--no-verify', '--config', file, '--only', 'partner-b'], env());
    expect(result.code, result.stderr).toBe(0);
    expect(await bucketNames()).toEqual([b.partnerB, b.backup1].sort());
    const removed = await runCli(['teardown', '--yes', '--config', file, '--only', 'partner-b', '--json'], env());
    expect(removed.code, removed.stderr).toBe(0);
    const [teardown] = onlyJsonObject(removed.stdout).setups as SetupReport[];
    expect(teardown!.steps.find((step) => step.id === 'replication-configuration')).toMatchObject({ action: 'delete', status: 'done' });
    // A second teardown finds nothing of the setup's left, and says so in words.
    const again = await runCli(['teardown', '--yes', '--config', file, '--only', 'partner-b'], env());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/partner-b\s+ok\s+nothing to remove: this setup owns nothing here any more/);
    const unknown = await runCli(['plan', '--config', file, '--only', 'nope'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--only: no setup is named "nope"');
  }, 120_000);

  it('an AccessDenied injected by a proxy into one setup leaves the others done (exit 1); a re-run finishes it', async () => {
    const { b, setups, defaults } = fiveSetups();
    const file = await writeFleet('fleet.json', { defaults, setups: setups.slice(2) });
    proxy = await startCountingProxy(emu.endpoint);
    proxy.deny = (req) => req.method === 'PUT' && /^\/[^/?]+\/?\?replication/.test(req.url ?? '') && (req.url ?? '').startsWith(`/${b.logs}/`);
    const first = await runCli(['wizard', '--yes', '--no-verify', '--config', file, '--json'], env(proxy.endpoint));
    expect(first.code, first.stderr).toBe(1);
    const report = onlyJsonObject(first.stdout) as { ok: boolean; setups: SetupReport[] };
    expect(report.ok).toBe(false);
    expect(report.setups.map((s) => [s.name, s.ok])).toEqual([
      ['partner-b', true],
      ['logs', false],
      [`${b.extra}→${b.extraCopy}`, true],
    ]);
    expect(report.setups[1]!.error?.code).toBe('ACCESS_DENIED');

    proxy.deny = () => false;
    const second = await runCli(['wizard', '--yes', '--config', file, '--json'], env(proxy.endpoint));
    expect(second.code, second.stderr).toBe(0);
    const rerun = onlyJsonObject(second.stdout).setups as SetupReport[];
    expect(rerun.find((s) => s.name === 'partner-b')!.steps.every((s) => s.action === 'no-op')).toBe(true);
    expect(rerun.find((s) => s.name === 'logs')!.steps.find((s) => s.id === 'replication-configuration')).toMatchObject({ action: 'create', status: 'done' });
  }, 180_000);

  it('twenty setups never have more than REPLICATE_SETUP_MAX_CALLS calls in flight per account and service (counted by a proxy)', async () => {
    const setups = Array.from({ length: 20 }, (_, i) => ({
      name: `pair-${i}`,
      sourceBucket: uniqueBucketName(`src-${i}`),
      destBucket: uniqueBucketName(`dst-${i}`),
    }));
    const file = await writeFleet('twenty.json', { defaults: { sourceProfile: 'xyz', destProfile: 'abcd', roleName: 's3_replication_role' }, setups });
    proxy = await startCountingProxy(emu.endpoint);
    const result = await runCli(['wizard', '--yes', '--no-verify', '--config', file, '--json'], env(proxy.endpoint, { REPLICATE_SETUP_MAX_CALLS: '3' }));
    expect(result.code, result.stderr).toBe(0);
    expect((onlyJsonObject(result.stdout).setups as SetupReport[]).filter((s) => !s.ok)).toEqual([]);
    const peaks = [...proxy.peak.values()];
    expect(Math.max(...peaks)).toBeLessThanOrEqual(3);
    // Concurrency really happened: some account and service had the limit's worth of calls under way at once.
    expect(Math.max(...peaks)).toBe(3);
    // Shared reads: each account's identity once, not once per setup.
    expect(proxy.calls.filter((call) => call.key.endsWith('|sts')).length).toBe(2);
  }, 240_000);

  it("five setups sharing one role: the plan shows the role once, it is created once, each account's buckets are listed once, and the closing verify asks moto's missing policy simulator once in all (counted by a proxy)", async () => {
    const setups = Array.from({ length: 5 }, (_, i) => ({
      name: `sim-${i}`,
      sourceBucket: uniqueBucketName(`ssrc-${i}`),
      destBucket: uniqueBucketName(`sdst-${i}`),
    }));
    const file = await writeFleet('simulator.json', {
      defaults: { sourceProfile: 'xyz', destProfile: 'abcd', roleName: 's3_replication_role', authorizedUser: ['tom-cruise'] },
      setups,
    });
    const plan = await runCli(['plan', '--config', file], env());
    expect(plan.code, plan.stderr).toBe(0);
    const roleLine = /\+ create Replication role s3_replication_role/g;
    expect(plan.stdout.match(roleLine)).toHaveLength(1);
    expect(plan.stdout).toContain('shared by 5 setups (sim-0, sim-1, sim-2 and 2 more)');
    // Each setup's own inline policy on that role reads alike, but it is its own: listed under each setup.
    expect(plan.stdout.match(/\+ create Least-privilege replication policy on s3_replication_role/g)).toHaveLength(5);

    proxy = await startCountingProxy(emu.endpoint);
    const result = await runCli(['wizard', '--yes', '--config', file, '--json'], env(proxy.endpoint));
    expect(result.code, result.stderr).toBe(0);
    const reports = onlyJsonObject(result.stdout).setups as { ok: boolean; verification?: { checks: { id: string; status: string; message: string }[] } }[];
    expect(reports.filter((s) => !s.ok)).toEqual([]);
    for (const report of reports) {
      expect(report.verification?.checks.find((c) => c.id === 'simulate.reader:tom-cruise')).toMatchObject({
        status: 'skip',
        message: expect.stringContaining('does not implement iam:SimulatePrincipalPolicy'),
      });
    }
    // One question, its two actions asked at once: the first setup's answer serves the other four.
    expect(proxy.calls.filter((call) => call.action === 'SimulatePrincipalPolicy').length).toBe(2);
    expect(proxy.calls.filter((call) => call.action === 'CreateRole').length).toBe(1);
    expect(proxy.calls.filter((call) => call.action === 'PutRolePolicy').length).toBe(5);
    // The preflights start together: one bucket listing per account serves all five setups' holder checks.
    const listings = proxy.calls.filter((call) => call.url.includes('x-id=ListBuckets'));
    expect(listings).toHaveLength(2);
    expect(new Set(listings.map((call) => call.key)).size).toBe(2);
    // The previous release's policy names are looked for in one listing per principal (the legacy check, kept for the
    // run, and the closing verify's own listing of everything on the role), not by a Get of the old name per setup.
    expect(proxy.calls.filter((call) => call.action === 'ListRolePolicies').length).toBeLessThanOrEqual(2);
    expect(proxy.calls.filter((call) => call.action === 'ListUserPolicies').length).toBeLessThanOrEqual(2);
    // Each setup's own policies are read by the apply and by its closing verify; the other four setups' policies on
    // the shared role and reader are read once for all by the verify's review of every policy that applies.
    expect(proxy.calls.filter((call) => call.action === 'GetRolePolicy').length).toBeLessThanOrEqual(5 * 2 + 5);
    expect(proxy.calls.filter((call) => call.action === 'GetUserPolicy').length).toBeLessThanOrEqual(5 * 2 + 5);
  }, 120_000);
});
