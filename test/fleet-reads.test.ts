// `status` and `jobs` take a fleet --config file like the other commands (built CLI, moto): one result per setup in
// one JSON object, `--only` selects; `plan` of a fleet with nothing left to do says so per account. moto has no replication metrics and no S3 Batch Operations: status reads what
// moto has (no metrics: no data, not a failure) and jobs finds none (no job was ever started).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, onlyJsonObject, runCli } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

const env = () => ({ ...emu.env, AWS_ENDPOINT_URL: emu.endpoint });

describe('status and jobs over a fleet file (built CLI, moto)', () => {
  it('report each setup of the file, and --only one of them', async () => {
    const file = join(emu.dir, `fleet-${uniqueBucketName('f')}.json`);
    const fleet = {
      defaults: { sourceProfile: 'xyz', destProfile: 'abcd' },
      setups: [
        { name: 'incidents', sourceBucket: uniqueBucketName('partner-a'), destBucket: uniqueBucketName('company-a') },
        { name: 'archive', sourceBucket: uniqueBucketName('partner-b'), destBucket: uniqueBucketName('company-b') },
      ],
    };
    await writeFile(file, JSON.stringify(fleet));
    const applied = await runCli(['wizard', '--json', '--yes', '--no-verify', '--config', file], env());
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);

    const status = await runCli(['status', '--json', '--config', file], env());
    const statusReport = onlyJsonObject(status.stdout) as { command: string; setups: { name: string; ok: boolean; status?: { verdict: { level: string } } }[] };
    expect(statusReport.command).toBe('status');
    expect(statusReport.setups.map((s) => s.name)).toEqual(['incidents', 'archive']);
    for (const setup of statusReport.setups) expect(['healthy', 'degraded', 'failing']).toContain(setup.status?.verdict.level);

    const jobs = await runCli(['jobs', '--json', '--config', file, '--only', 'archive'], env());
    expect(jobs.code, jobs.stderr).toBe(0);
    const jobsReport = onlyJsonObject(jobs.stdout) as { command: string; ok: boolean; setups: { name: string; ok: boolean; summary?: string }[] };
    expect(jobsReport).toMatchObject({ command: 'jobs', ok: true });
    expect(jobsReport.setups.map((s) => [s.name, s.ok])).toEqual([['archive', true]]);

    // In words: an account with nothing left to change says so under its heading, and one setup is "the setup".
    const plan = await runCli(['plan', '--config', file, '--only', 'archive'], env());
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^Account 111111111111 \(profile xyz, ap-southeast-1\)\n {2}no changes\n/m);
    expect(plan.stdout).toMatch(/^Account 222222222222 \(profile abcd, ap-southeast-2\)\n {2}no changes\n/m);
    expect(plan.stdout.trim().split('\n').at(-1)).toBe('The setup is ok.');
  });
});
