// The acceptance suite (scripts/acceptance.js) run as a child process against moto with --endpoint-url: its flow,
// naming, report and clean-up (after a failure and after Ctrl-C too). moto does not replicate, does not enforce bucket
// or key policies as AWS does and runs no log exports, so those claims must come out "not provable on this endpoint",
// never passed. What is left afterwards is checked by listing every bucket, role, user, access key, KMS key and alias,
// and log group of both accounts.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListAccessKeysCommand, ListRolesCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, ensureBuilt, ROOT, runCli } from './support/cli.js';
import { type Side, useEmulator } from './support/emulator.js';

const emu = useEmulator();
const SCRIPT = join(ROOT, 'scripts', 'acceptance.js');
const ALL_CASES = ['seed', 'kms', 'prefix', 'uploaders', 'log-backup', 'existing-objects', 'alerts'];

beforeAll(ensureBuilt, 120_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the suite; `onStderr` sees its progress as it comes (to send Ctrl-C at the right moment). */
function runSuite(args: string[], opts: { optIn?: boolean; onStderr?: (text: string, pid: number) => void } = {}): Promise<Run> {
  const env = cliEnv({ ...emu.env, REPLICATE_SETUP_ACC_NO_BUILD: '1', ...(opts.optIn === false ? {} : { REPLICATE_SETUP_ACC: '1' }) });
  if (opts.optIn === false) delete env.REPLICATE_SETUP_ACC;
  const full = ['--source-profile', 'xyz', '--dest-profile', 'abcd', '--endpoint-url', emu.endpoint, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...full], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      opts.onStderr?.(stderr, child.pid!);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Everything in both accounts that a run could leave behind; KMS keys only while not pending deletion. */
async function whatExists() {
  const found: string[] = [];
  for (const side of ['source', 'destination'] as Side[]) {
    const { s3, iam, kms } = emu.clients(side);
    found.push(...((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => `${side} bucket ${b.Name}`));
    found.push(...((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => `${side} role ${r.RoleName}`));
    for (const user of (await iam.send(new ListUsersCommand({}))).Users ?? []) {
      found.push(`${side} user ${user.UserName}`);
      const keys = (await iam.send(new ListAccessKeysCommand({ UserName: user.UserName }))).AccessKeyMetadata ?? [];
      found.push(...keys.map(() => `${side} access key of ${user.UserName}`));
    }
    for (const key of (await kms.send(new ListKeysCommand({}))).Keys ?? []) {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
      if (KeyMetadata?.KeyState !== 'PendingDeletion') found.push(`${side} KMS key ${KeyMetadata?.KeyState}`);
    }
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
    found.push(...aliases.filter((a) => !a.AliasName?.startsWith('alias/aws/')).map((a) => `${side} KMS alias ${a.AliasName}`));
    const credentials = side === 'source' ? emu.setup.credentials.source : emu.setup.credentials.destination;
    const logs = new CloudWatchLogsClient({ endpoint: emu.endpoint, region: emu.regions[side], credentials });
    found.push(...((await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => `${side} log group ${g.logGroupName}`));
  }
  return found.sort();
}

type Summary = {
  ok: boolean;
  runId: string;
  interrupted: boolean;
  cases: { name: string; status: string; claims: { claim: string; status: string; expected?: string; shown?: string }[] }[];
  calls: { suite: number; cliRuns: number };
  cost: { estimateUsd: number };
  cleanup: { problems: string[]; leftover: string[] };
};

describe('the acceptance suite (scripts/acceptance.js) against moto with --endpoint-url', () => {
  it('without REPLICATE_SETUP_ACC=1 exits 2 at once, saying what it would do and what it costs, and creates nothing', async () => {
    const before = await whatExists();
    const run = await runSuite([], { optIn: false });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('REPLICATE_SETUP_ACC is not 1: nothing was run');
    expect(run.stdout).toMatch(/What it costs.*a few cents/s);
    expect(run.stdout).toContain('KMS keys');
    expect(await whatExists()).toEqual(before);
  });

  it('runs every case with fresh rsacc- names; what moto cannot show is "not provable on this endpoint", never passed; nothing is left', async () => {
    const before = await whatExists();
    const run = await runSuite(['--json']);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.cases.map((c) => c.name)).toEqual(ALL_CASES);
    expect(run.code).toBe(0);
    expect(summary.ok).toBe(true);
    expect(summary.runId).toMatch(/^[0-9a-f]{8}$/);
    expect(run.stderr).toContain(`--source-bucket rsacc-${summary.runId}-seed-src`);
    // Replication, policy enforcement and log exports: each claim about them is unprovable here, never passed.
    const claims = summary.cases.flatMap((c) => c.claims.map((claim) => ({ ...claim, case: c.name })));
    // (verify's exit code is real evidence on any endpoint; its canary and probes are not.)
    // The alerts case checks that resources exist (an alarm, a topic, a subscription): moto holds those, so they are
    // provable here; what they watch (a replication failure) is not, and the case says so in a note.
    const aboutAws = claims.filter(
      (c) => c.case !== 'alerts' && /replicat|AccessDenied|lists s3|cannot put|puts under|canary/.test(c.claim) && !c.claim.endsWith('exits 0'),
    );
    expect(aboutAws.length).toBeGreaterThan(8);
    for (const claim of aboutAws) expect(claim, claim.claim).toMatchObject({ status: 'not provable on this endpoint' });
    for (const name of ['seed', 'kms', 'prefix', 'uploaders', 'log-backup']) {
      expect(summary.cases.find((c) => c.name === name)?.status, name).toBe('not provable on this endpoint');
    }
    // Cases for features of other branches: run when this build's --help has the flag, otherwise said so.
    const help = await runCli(['wizard', '--help'], emu.env);
    for (const [name, flag] of [
      ['existing-objects', '--replicate-existing'],
      ['alerts', '--alert-email'],
    ] as const) {
      const status = summary.cases.find((c) => c.name === name)?.status;
      if (help.stdout.includes(flag)) expect(status, name).not.toBe('not available in this build');
      else expect(status, name).toBe('not available in this build');
    }
    expect(summary.calls.suite).toBeGreaterThan(0);
    expect(summary.calls.cliRuns).toBeGreaterThanOrEqual(12);
    expect(summary.cost.estimateUsd).toBeGreaterThan(0);
    expect(summary.cleanup).toEqual({ kept: false, problems: [], leftover: [] });
    expect(await whatExists()).toEqual(before);
  }, 60_000);

  it('reports a failing case (a broken build given by --cli) with what was expected and what was shown, exits 1, and still removes everything', async () => {
    // A build whose verify is broken: every other command is the real CLI.
    const broken = join(emu.dir, 'broken-cli.mjs');
    await writeFile(
      broken,
      `import { spawnSync } from 'node:child_process';
const args = process.argv.slice(2);
if (args[0] === 'verify') {
  process.stdout.write(JSON.stringify({ ok: false, checks: [{ id: 'destination.policy', status: 'fail', message: 'broken on purpose' }] }));
  process.exit(1);
}
process.exit(spawnSync(process.execPath, [${JSON.stringify(join(ROOT, 'bin', 'replicate-setup.js'))}, ...args], { stdio: 'inherit' }).status ?? 1);
`,
    );
    const before = await whatExists();
    const run = await runSuite(['--only', 'seed,prefix', '--cli', broken]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\| seed\s+\| failed/);
    expect(run.stdout).toMatch(/\| prefix\s+\| not provable on this endpoint/);
    expect(run.stdout).toContain(
      '✗ seed: verify --canary --probe-profile exits 0: expected exit 0, no check failed; AWS showed exit 1; destination.policy: broken on purpose',
    );
    expect(run.stdout).toContain('nothing left');
    expect(run.stdout).toContain('Acceptance: FAILED.');
    expect(await whatExists()).toEqual(before);
  }, 30_000);

  it('on Ctrl-C (SIGINT to the suite) during a setup: stops, tears the setup down, deletes the test users, exits 130', async () => {
    const before = await whatExists();
    let sent = false;
    const run = await runSuite(['--only', 'seed,kms'], {
      onStderr: (text, pid) => {
        if (!sent && text.includes('$ replicate-setup wizard')) {
          sent = true;
          process.kill(pid, 'SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('Ctrl-C: stopping the case under way');
    expect(run.stderr).toMatch(/\[teardown seed\] \$ replicate-setup teardown --yes --delete-buckets --delete-objects --delete-keys/);
    expect(run.stderr).not.toContain('[kms] started');
    expect(run.stdout).toContain('Interrupted (Ctrl-C)');
    expect(run.stdout).toMatch(/\| seed\s+\| failed/);
    expect(await whatExists()).toEqual(before);
  }, 30_000);
});
