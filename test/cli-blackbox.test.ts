// The built CLI as a user runs it (`node bin/replicate-setup.js`), against moto with two accounts, inspected with the
// SDK: the seed sets up with exit 0 and one JSON object, a second run is all no-op, and plan writes nothing. Bad input
// is in test/cli-bad-input.test.ts.

import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetBucketReplicationCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, onlyJsonObject, runCli, seedArgs } from './support/cli.js';
import { useEmulator } from './support/emulator.js';
import { pairSid } from './support/fixtures.js';
import { inventory } from './support/inventory.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

/** The emulator's profiles for the child process, with its endpoint as a user would export it. */
const cliEnvironment = (extra: Record<string, string> = {}): Record<string, string> => ({ ...emu.env, AWS_ENDPOINT_URL: emu.endpoint, ...extra });

interface Step {
  id: string;
  action: string;
  resource: string;
  status?: string;
}

describe('the seed through the built CLI', () => {
  const seed = seedArgs({ src: 'rubes-s3-bucket', dst: 'clint-s3-bucket', role: 's3_replication_role' });

  it('wizard --yes --json sets it up (exit 0, one JSON object, create steps); a second run is all no-op', async () => {
    const first = await runCli(['wizard', '--yes', ...seed, '--json'], cliEnvironment());
    expect(first.code, first.stderr).toBe(0);
    const report = onlyJsonObject(first.stdout);
    expect(report).toMatchObject({ ok: true, accounts: { source: '111111111111', destination: '222222222222' } });
    const steps = report.steps as Step[];
    expect(steps.length).toBeGreaterThanOrEqual(15);
    expect(steps.filter((s) => s.action !== 'create' || s.status !== 'done')).toEqual([]);
    for (const step of steps) expect(step.resource).toMatch(/^arn:aws:(s3|iam)::/);
    expect(steps.map((s) => s.id)).toEqual(
      expect.arrayContaining(['source-bucket', 'destination-bucket', 'replication-role', 'replication-configuration', 'reader-policy:tom-cruise']),
    );

    const source = emu.clients('source');
    expect(((await source.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name)).toEqual(['rubes-s3-bucket']);
    expect(((await emu.clients('destination').s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name)).toEqual(['clint-s3-bucket']);
    const replication = await source.s3.send(new GetBucketReplicationCommand({ Bucket: 'rubes-s3-bucket' }));
    expect(replication.ReplicationConfiguration?.Role).toBe('arn:aws:iam::111111111111:role/s3_replication_role');

    const second = await runCli(['wizard', '--yes', ...seed, '--json'], cliEnvironment());
    expect(second.code, second.stderr).toBe(0);
    const again = onlyJsonObject(second.stdout);
    expect(again.ok).toBe(true);
    expect((again.steps as Step[]).map((s) => s.action)).toEqual(steps.map(() => 'no-op'));
    expect((again.steps as Step[]).map((s) => s.id)).toEqual(steps.map((s) => s.id));
  }, 60_000);

  it('plan --json prints the steps with their documents and writes nothing', async () => {
    const before = await inventory(emu);
    const result = await runCli(['plan', ...seed, '--json'], cliEnvironment());
    expect(result.code, result.stderr).toBe(0);
    const plan = onlyJsonObject(result.stdout);
    expect(plan.ok).toBe(true);
    const steps = plan.steps as (Step & Record<string, unknown>)[];
    expect(steps.every((s) => s.action === 'create')).toBe(true);
    const byId = Object.fromEntries(steps.map((s) => [s.id, s]));
    expect(byId['replication-role']).toMatchObject({ trustPolicy: { Statement: [{ Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }] } });
    expect(byId['replication-configuration']).toMatchObject({ configuration: { Role: 'arn:aws:iam::111111111111:role/s3_replication_role' } });
    expect(byId['source-bucket-policy']).toHaveProperty('document.Statement');
    // Every call apply would make is named, step by step.
    expect(byId['source-bucket']?.calls).toEqual(['s3:CreateBucket']);
    expect(byId['replication-configuration']?.calls).toEqual(['s3:PutBucketReplication']);
    expect(byId['reader-policy:tom-cruise']?.calls).toEqual(['iam:PutUserPolicy']);
    expect(await inventory(emu)).toEqual(before);
    await expect(emu.clients('source').iam.send(new GetRoleCommand({ RoleName: 's3_replication_role' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
  }, 60_000);

  it('plan for people shows each call and document under its step, and writes nothing', async () => {
    const before = await inventory(emu);
    const result = await runCli(['plan', ...seed], cliEnvironment());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\+ create Replication rubes-s3-bucket → clint-s3-bucket \(RTC 15 min\)\n\s+calls s3:PutBucketReplication\n/);
    expect(result.stdout).toContain(`"Sid": "${pairSid('rubes-s3-bucket', 'clint-s3-bucket', 'Replicas')}"`);
    expect(result.stdout).toMatch(/Plan: 15 to create, 0 to update, 0 to delete, 0 unchanged\./);
    expect(await inventory(emu)).toEqual(before);
  }, 60_000);

  it('talks to people without --json: the plan and a summary on stdout, exit 0', async () => {
    const result = await runCli(['wizard', '--yes', ...seed], cliEnvironment());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Source account 111111111111 (profile xyz, ap-southeast-1)');
    expect(result.stdout).toContain('Destination account 222222222222 (profile abcd, ap-southeast-2)');
    expect(result.stdout).toMatch(/Applied: 15 created, 0 updated, 0 deleted, 0 unchanged\./);
    const again = await runCli(['wizard', '--yes', ...seed], cliEnvironment());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to change: the setup is already in place.');
  }, 60_000);
});
