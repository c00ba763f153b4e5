// No secret is ever printed: the access key ids, secret keys and session tokens of the profiles must not appear in
// stdout or stderr, on success or failure, in human or JSON mode.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeAwsProfiles } from '../src/emulator/accounts.js';
import { type CliResult, ensureBuilt, mapLimit, runCli } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

/** Every credential value in a credentials file, read the way a leak would show it: verbatim. */
async function secretsIn(credentialsFile: string): Promise<string[]> {
  const text = await readFile(credentialsFile, 'utf8');
  const values = [...text.matchAll(/^\s*aws_(?:access_key_id|secret_access_key|session_token)\s*=\s*(\S+)\s*$/gm)].map((m) => m[1]!);
  expect(values.length).toBeGreaterThanOrEqual(4);
  for (const value of values) expect(value.length).toBeGreaterThanOrEqual(16);
  return values;
}

function expectNoSecret(label: string, result: CliResult, secrets: string[]): void {
  // Something was said (a silent run would pass trivially), and the values looked for are real keys.
  expect.soft(`${result.stdout}${result.stderr}`.trim(), `${label}: output`).not.toBe('');
  for (const secret of secrets) {
    expect.soft(result.stdout.includes(secret), `${label}: stdout shows a credential`).toBe(false);
    expect.soft(result.stderr.includes(secret), `${label}: stderr shows a credential`).toBe(false);
  }
}

const seedArgs = (src: string, dst: string, role: string): string[] => [
  '--source-profile',
  'xyz',
  '--source-bucket',
  src,
  '--dest-profile',
  'abcd',
  '--dest-bucket',
  dst,
  '--role-name',
  role,
  '--authorized-user',
  'tom-cruise',
];

interface Run {
  label: string;
  args: string[];
  code: number;
  endpoint?: string;
}

/** Each run in human and in JSON mode, with its own bucket names. */
function bothModes(runs: Run[]): Run[] {
  return runs.flatMap((run) => [run, { ...run, label: `${run.label} --json`, args: [...run.args, '--json'] }]);
}

async function runAll(runs: Run[], env: Record<string, string>, secrets: string[]): Promise<void> {
  const results = await mapLimit(runs, 3, (run) => runCli(run.args, { ...env, AWS_ENDPOINT_URL: run.endpoint ?? emu.endpoint }));
  runs.forEach((run, i) => {
    const result = results[i]!;
    expect.soft(result.code, `${run.label}: exit code\n${result.stderr}`).toBe(run.code);
    expectNoSecret(run.label, result, secrets);
  });
}

describe('credentials never reach the output', () => {
  it('with long-term keys: setup, re-run, plan, refused input, unreachable endpoint', async () => {
    const secrets = await secretsIn(emu.setup.files.credentialsFile);
    const names = (tag: string) => seedArgs(uniqueBucketName(`sec-src-${tag}`), uniqueBucketName(`sec-dst-${tag}`), `sec-role-${tag}`);
    // The setup and its re-run must happen in order; the rest may run side by side.
    const setup = names('setup');
    await runAll([{ label: 'wizard', args: ['wizard', '--yes', ...setup], code: 0 }], emu.env, secrets);
    await runAll([{ label: 'wizard again', args: ['wizard', '--yes', ...setup, '--json'], code: 0 }], emu.env, secrets);
    await runAll(
      bothModes([
        { label: 'plan', args: ['plan', ...names('plan')], code: 0 },
        { label: 'unknown authorised user', args: ['wizard', '--yes', ...names('ghost'), '--authorized-user', 'ghost-reader'], code: 2 },
        { label: 'invalid bucket', args: ['wizard', '--yes', ...names('bad'), '--source-bucket', 'Bad_Bucket'], code: 2 },
        // Nothing listens on port 9: the AWS calls fail after the credentials were resolved (exit 1).
        { label: 'unreachable endpoint', args: ['plan', ...names('down')], code: 1, endpoint: 'http://127.0.0.1:9' },
      ]),
      emu.env,
      secrets,
    );
  }, 120_000);

  it('with temporary credentials (session tokens) from STS', async () => {
    const assume = async (account: string) => {
      const { Credentials } = await emu
        .clients('source')
        .sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/operator`, RoleSessionName: 'secrets-test' }));
      return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
    };
    const dir = join(emu.dir, 'sessions');
    await mkdir(dir, { recursive: true });
    const files = await writeAwsProfiles(dir, [
      { name: 'xyz', region: 'ap-southeast-1', credentials: await assume(emu.accounts.source) },
      { name: 'abcd', region: 'ap-southeast-2', credentials: await assume(emu.accounts.destination) },
    ]);
    const secrets = await secretsIn(files.credentialsFile);
    expect(secrets).toHaveLength(6);
    const src = uniqueBucketName('sec-sts-src');
    const dst = uniqueBucketName('sec-sts-dst');
    await runAll(
      bothModes([
        { label: 'plan with session credentials', args: ['plan', ...seedArgs(src, dst, 'sec-sts-role')], code: 0 },
        {
          label: 'refused with session credentials',
          args: ['wizard', '--yes', ...seedArgs(src, dst, 'sec-sts-role'), '--authorized-user', 'nobody-here'],
          code: 2,
        },
      ]),
      files.env,
      secrets,
    );
    await runAll(
      [{ label: 'wizard with session credentials', args: ['wizard', '--yes', ...seedArgs(src, dst, 'sec-sts-role'), '--json'], code: 0 }],
      files.env,
      secrets,
    );
  }, 120_000);
});
