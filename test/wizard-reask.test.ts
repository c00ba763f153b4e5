// The wizard against moto: a problem the checks before any change find (a reader that does not exist) re-asks that
// answer instead of exiting 2, or saves every answer and prints the --config command. Nothing is written meanwhile.
// @inquirer/testing/vitest must load before @inquirer/prompts (it mocks the prompt packages as it loads).
import '@inquirer/testing/vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import * as prompts from '@inquirer/prompts';
import { screen } from '@inquirer/testing/vitest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runWizardCommand } from '../src/commands/wizard-command.js';
import type { PromptKit } from '../src/wizard/prompt-kit.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();
const kit: PromptKit = prompts;

beforeEach(() => {
  for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function collector(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

async function waitFor(text: string): Promise<void> {
  for (let i = 0; i < 2000 && !screen.getScreen().includes(text); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(screen.getScreen()).toContain(text);
}

function start(flags: Record<string, unknown>) {
  const stdout = collector();
  const stderr = collector();
  const code = runWizardCommand({ endpointUrl: emu.endpoint, ...flags }, { stdinIsTTY: true, prompts: kit, streams: { stdout, stderr, env: {} } });
  return { code, stdout, stderr };
}

const flagsWithAMisspeltReader = (source: string) => ({
  sourceProfile: 'xyz',
  sourceRegion: 'ap-southeast-1',
  sourceBucket: source,
  destProfile: 'abcd',
  destRegion: 'ap-southeast-2',
  destBucket: uniqueBucketName('clint-s3-bucket'),
  roleName: 's3_replication_role',
  authorizedUser: ['tom-cruze'],
  prefix: '',
  rtc: true,
  deleteMarkerReplication: true,
});

describe('a problem found after the questions', () => {
  it('re-asks only the answer concerned, in words about answers, and goes on to the plan', async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const run = start(flagsWithAMisspeltReader(source));
    await waitFor('More options');
    screen.keypress('enter');
    await waitFor('Nothing was written. What now?');
    expect(run.stderr.text).toMatch(/✗ your answer for destination-account IAM user .*\(--authorized-user\): .*tom-cruze does not exist/);
    screen.keypress('enter'); // answer again
    await waitFor('may read the source bucket?');
    // The cursor starts on the first user listed; move to tom-cruise wherever IAM lists him.
    for (let i = 0; i < 5 && !screen.getScreen().includes('❯◯ tom-cruise'); i++) screen.keypress('down');
    await waitFor('❯◯ tom-cruise');
    screen.keypress('space');
    screen.keypress('enter');
    await waitFor('Apply these changes to both accounts?');
    screen.type('n');
    screen.keypress('enter');
    expect(await run.code).toBe(0);
    expect(run.stdout.text).toContain('Source bucket policy: tom-cruise may list and read');
    await expect(emu.clients('source').s3.send(new HeadBucketCommand({ Bucket: source }))).rejects.toThrow();
  }, 60_000);

  it('or saves every answer and prints the --config command, exit 2, nothing written', async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const saved = join(emu.dir, `answers-${source}.json`);
    const run = start(flagsWithAMisspeltReader(source));
    await waitFor('More options');
    screen.keypress('enter');
    await waitFor('Nothing was written. What now?');
    screen.keypress('down');
    screen.keypress('enter');
    await waitFor('Save the answers to:');
    screen.type(saved);
    screen.keypress('enter');
    expect(await run.code).toBe(2);
    expect(run.stderr.text).toContain(`replicate-setup wizard --config ${saved}`);
    expect(JSON.parse(await readFile(saved, 'utf8'))).toMatchObject({ sourceBucket: source, authorizedUser: ['tom-cruze'] });
    await expect(emu.clients('source').s3.send(new HeadBucketCommand({ Bucket: source }))).rejects.toThrow();
  }, 60_000);
});
