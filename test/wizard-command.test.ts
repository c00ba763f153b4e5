// The wizard command against moto with two accounts: when it asks, when it must not, what Ctrl-C leaves behind,
// and --config / --save-config.
// @inquirer/testing/vitest must load before @inquirer/prompts (it mocks the prompt packages as it loads): a bare import
// keeps Biome's import sorting from moving @inquirer/prompts above it.
import '@inquirer/testing/vitest';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetBucketReplicationCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import * as prompts from '@inquirer/prompts';
import { screen } from '@inquirer/testing/vitest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { runWizardCommand } from '../src/commands/wizard-command.js';
import type { PromptKit } from '../src/wizard/prompt-kit.js';
import { type Side, uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();
const kit: PromptKit = prompts;

beforeEach(() => {
  for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

interface Captured {
  stdout: string;
  stderr: string;
}

function collector(onWrite: (text: string) => void = () => undefined): Writable & { text: string } {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      onWrite(String(chunk));
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

async function wizard(flags: Record<string, unknown>, opts: { tty?: boolean; onStderr?: (text: string) => void } = {}): Promise<Captured & { code: number }> {
  const stdout = collector();
  const stderr = collector(opts.onStderr);
  const code = await runWizardCommand(
    { endpointUrl: emu.endpoint, ...flags },
    { stdinIsTTY: opts.tty ?? false, prompts: kit, streams: { stdout, stderr, env: {} } },
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function waitFor(text: string): Promise<void> {
  for (let i = 0; i < 2000 && !screen.getScreen().includes(text); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(screen.getScreen()).toContain(text);
}

async function bucketExists(side: Side, Bucket: string): Promise<boolean> {
  try {
    await emu.clients(side).s3.send(new HeadBucketCommand({ Bucket }));
    return true;
  } catch {
    return false;
  }
}

async function roleExists(RoleName: string): Promise<boolean> {
  try {
    await emu.clients('source').iam.send(new GetRoleCommand({ RoleName }));
    return true;
  } catch {
    return false;
  }
}

function names() {
  return { source: uniqueBucketName('rubes-s3-bucket'), destination: uniqueBucketName('clint-s3-bucket') };
}

const setupFlags = (buckets: { source: string; destination: string }) => ({
  sourceProfile: 'xyz',
  sourceBucket: buckets.source,
  destProfile: 'abcd',
  destBucket: buckets.destination,
  roleName: 's3_replication_role',
  authorizedUser: ['tom-cruise'],
});

describe('wizard without a person to ask', () => {
  it('never prompts without a terminal: exit 2 naming every missing flag, nothing created', async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    // The built CLI, stdin a pipe: exactly what a script or CI sees.
    const run = spawn(
      process.execPath,
      ['bin/replicate-setup.js', 'wizard', '--endpoint-url', emu.endpoint, '--source-profile', 'xyz', '--source-bucket', source],
      {
        env: { ...process.env, ...emu.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (chunk) => (stdout += String(chunk)));
    run.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));

    expect(code).toBe(2);
    // The destination profile may be left out (the default chain); its bucket may not.
    expect(stderr).not.toContain('--dest-profile: is required');
    expect(stderr).toContain('--dest-bucket: is required');
    expect(stderr).not.toContain('--source-profile');
    expect(stderr).not.toContain('?');
    expect(stdout).toBe('');
    expect(await bucketExists('source', source)).toBe(false);
  });

  it('answers --json with one object listing the missing flags, even on a terminal', async () => {
    const { code, stdout, stderr } = await wizard({ json: true }, { tty: true });
    expect(code).toBe(2);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      error: {
        code: 'MISSING_INPUT',
        problems: expect.arrayContaining(['--source-bucket', '--dest-bucket'].map((flag) => ({ flag, message: 'is required' }))),
      },
    });
  });
  it('never prompts with --yes, even on a terminal', async () => {
    const { code, stdout, stderr } = await wizard({ yes: true, sourceProfile: 'xyz', destProfile: 'abcd' }, { tty: true });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'Error: --source-bucket: is required\n--dest-bucket: is required\nWhat to do: Fix the flags named above and run again; nothing was written.\n',
    );
    expect(screen.getScreen()).toBe('');
  });
});

/** Flags that answer every question but "More options" and the go-ahead. */
const everyAnswer = (buckets: ReturnType<typeof names>) => ({
  ...setupFlags(buckets),
  sourceRegion: 'ap-southeast-1',
  destRegion: 'ap-southeast-2',
  prefix: '',
  rtc: true,
  deleteMarkerReplication: true,
});

/** The wizard at a terminal with `flags`, no more options, and "n" at the go-ahead. */
async function declining(flags: Record<string, unknown>): Promise<Captured & { code: number }> {
  const run = wizard(flags, { tty: true });
  await waitFor('More options');
  screen.keypress('enter');
  await waitFor('Apply these changes to both accounts? (Y/n)');
  screen.type('n');
  screen.keypress('enter');
  return run;
}

describe('wizard with a person at the terminal', () => {
  it('Ctrl-C at the first question exits 130 quietly', async () => {
    const run = wizard({}, { tty: true });
    await waitFor('Source AWS profile');
    screen.keypress({ name: 'c', ctrl: true });
    expect(await run).toEqual({ code: 130, stdout: '', stderr: '' });
  });

  it('shows the plan and writes nothing when the person declines or presses Ctrl-C at the confirmation', async () => {
    const buckets = names();
    const flags = everyAnswer(buckets);

    const first = await declining(flags);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`+ create Source bucket ${buckets.source} in ap-southeast-1`);
    expect(first.stdout).toContain('Plan: ');
    expect(first.stdout).toContain('Nothing was written.');

    const interrupted = wizard(flags, { tty: true });
    await waitFor('More options');
    screen.keypress('enter');
    await waitFor('Apply these changes to both accounts? (Y/n)');
    screen.keypress({ name: 'c', ctrl: true });
    const second = await interrupted;
    expect(second.code).toBe(130);
    expect(second.stderr).not.toContain('Error');

    expect(await bucketExists('source', buckets.source)).toBe(false);
    expect(await bucketExists('destination', buckets.destination)).toBe(false);
    expect(await roleExists('s3_replication_role')).toBe(false);
  });

  it('--save-config: a path that cannot be written is refused before any question (exit 2); answers declined at the go-ahead are saved all the same, as YAML for .yaml', async () => {
    const refused = await wizard({ saveConfig: join(emu.dir, 'no-such-dir', 'answers.json') }, { tty: true });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--save-config: cannot write');
    expect(refused.stderr).toContain('does not exist');
    expect(refused.stderr).not.toContain('Source AWS profile');

    const buckets = names();
    const saved = join(emu.dir, `declined-${buckets.source}.yaml`);
    const flags = everyAnswer(buckets);
    const result = await declining({ ...flags, saveConfig: saved });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Nothing was written.');
    expect(result.stderr).toContain(`Answers saved to ${saved}`);
    const text = await readFile(saved, 'utf8');
    expect(text).not.toMatch(/^\{/);
    expect(YAML.parse(text)).toMatchObject({ sourceBucket: buckets.source, destBucket: buckets.destination, rtc: true });
    expect(await bucketExists('source', buckets.source)).toBe(false);
  });

  it('takes answers from --config, asks only the rest, saves them all with --save-config, and applies', async () => {
    const buckets = names();
    const config = join(emu.dir, `answers-${buckets.source}.json`);
    const saved = join(emu.dir, `saved-${buckets.source}.json`);
    await writeFile(config, JSON.stringify({ ...setupFlags(buckets), sourceBucket: 'overridden-by-the-flag', prefix: 'reports/' }));

    const run = wizard(
      { config, saveConfig: saved, sourceBucket: buckets.source, sourceRegion: 'ap-southeast-1', destRegion: 'ap-southeast-2' },
      { tty: true },
    );
    await waitFor('Replication Time Control (RTC)?');
    screen.keypress('enter');
    await waitFor('Replicate delete markers?');
    screen.keypress('down');
    await waitFor('a backup that survives mistakes');
    screen.keypress('enter');
    await waitFor('More options');
    screen.keypress('enter');
    await waitFor('Apply these changes to both accounts? (Y/n)');
    screen.keypress('enter');
    const { code, stdout, stderr } = await run;

    expect(code, stderr).toBe(0);
    expect(stderr).toContain('Already answered by flags or --config:');
    expect(stdout).toMatch(/Applied: \d+ created/);
    expect(stderr).toContain('✓ Replication');
    expect(JSON.parse(await readFile(saved, 'utf8'))).toEqual({
      ...setupFlags(buckets),
      sourceRegion: 'ap-southeast-1',
      destRegion: 'ap-southeast-2',
      prefix: 'reports/',
      rtc: true,
      deleteMarkerReplication: false,
      endpointUrl: emu.endpoint,
    });
    const { ReplicationConfiguration } = await emu.clients('source').s3.send(new GetBucketReplicationCommand({ Bucket: buckets.source }));
    expect(ReplicationConfiguration?.Role).toBe('arn:aws:iam::111111111111:role/s3_replication_role');
    expect(ReplicationConfiguration?.Rules?.[0]?.Destination?.Bucket).toBe(`arn:aws:s3:::${buckets.destination}`);

    // The saved answers repeat the setup in a script: nothing asked, nothing left to change.
    const again = await wizard({ config: saved, yes: true, json: true });
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as { ok: boolean; steps: { id: string; action: string; resource: string; status: string }[] };
    expect(result.ok).toBe(true);
    expect(result.steps.length).toBeGreaterThan(0);
    for (const step of result.steps) {
      expect(step).toMatchObject({ id: expect.any(String), action: 'no-op', resource: expect.any(String), status: 'unchanged' });
    }
  });
});

describe('Ctrl-C while applying', () => {
  it('after answers typed at the questions: prints them as one wizard --yes command, which finishes the job', async () => {
    const buckets = names();
    let applying = false;
    let interrupted = false;
    const run = wizard(everyAnswer(buckets), {
      tty: true,
      onStderr: (text) => {
        if (applying && !interrupted && text.startsWith('✓')) {
          interrupted = true;
          process.emit('SIGINT');
        }
      },
    });
    await waitFor('More options');
    screen.keypress('enter');
    await waitFor('Apply these changes to both accounts? (Y/n)');
    applying = true;
    screen.keypress('enter');
    const { code, stdout, stderr } = await run;
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('The same setup, without the questions:');
    const command = stdout.split('\n').find((line) => line.startsWith('replicate-setup wizard --yes '));
    expect(command).toContain(`--source-bucket ${buckets.source}`);
    expect(command).toContain(`--dest-bucket ${buckets.destination}`);

    // What it prints is what a script runs: parsed as the CLI parses it, it finishes the setup.
    const { buildProgram } = await import('../src/program.js');
    let given: Record<string, unknown> = {};
    const program = buildProgram();
    program.commands
      .find((c) => c.name() === 'wizard')!
      .action((options: Record<string, unknown>) => {
        given = options;
      });
    await program.parseAsync(command!.split(' ').slice(1), { from: 'user' });
    const rerun = await wizard({ ...given, json: true });
    expect(rerun.code, rerun.stderr).toBe(0);
    const { ReplicationConfiguration } = await emu.clients('source').s3.send(new GetBucketReplicationCommand({ Bucket: buckets.source }));
    expect(ReplicationConfiguration?.Rules).toHaveLength(1);
  });

  it('finishes the calls under way, starts nothing new, says so, exits 130; a re-run finishes the job', async () => {
    const buckets = names();
    const flags = { ...setupFlags(buckets), yes: true };
    let interrupted = false;
    const { code, stderr } = await wizard(flags, {
      // The first step done is the moment the person presses Ctrl-C.
      onStderr: (text) => {
        if (!interrupted && text.startsWith('✓')) {
          interrupted = true;
          process.emit('SIGINT');
        }
      },
    });

    expect(code).toBe(130);
    expect(stderr).toContain('Stopping: the calls under way finish, nothing new starts');
    expect(stderr).toMatch(/Error: Interrupted: steps under way were finished, no new step was started\.\n\d+ step\(s\) done, \d+ left undone\./);
    expect(stderr).toContain('Running the same command again finishes the job');
    expect(stderr).toMatch(/· Replication .* \(not run\)/);
    expect(process.listeners('SIGINT')).toEqual([]);
    await expect(emu.clients('source').s3.send(new GetBucketReplicationCommand({ Bucket: buckets.source }))).rejects.toThrow();

    const rerun = await wizard({ ...flags, json: true });
    expect(rerun.code).toBe(0);
    const result = JSON.parse(rerun.stdout) as { steps: { id: string; status: string }[] };
    expect(result.steps.find((step) => step.id === 'replication-configuration')?.status).toBe('done');
    const { ReplicationConfiguration } = await emu.clients('source').s3.send(new GetBucketReplicationCommand({ Bucket: buckets.source }));
    expect(ReplicationConfiguration?.Rules).toHaveLength(1);
  });
});
