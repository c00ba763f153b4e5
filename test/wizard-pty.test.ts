// End to end in a real pseudo-terminal: the built CLI (npm test builds it first) run under `script` from util-linux,
// every question answered by keystrokes, then the two moto accounts inspected with the SDK.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, GetBucketReplicationCommand, GetBucketVersioningCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { startCountingProxy } from './support/counting-proxy.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();

const KEY = { enter: '\r', down: '\x1b[B', space: ' ', backspace: '\x7f', ctrlC: '\x03' } as const;

// Fail loudly rather than skip: without `script` this test cannot prove anything.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** A CLI run in a pseudo-terminal of 100×40 (a pty opened without a terminal behind it would be 0×0). */
class Terminal {
  private readonly child: ChildProcessWithoutNullStreams;
  private raw = '';
  private seen = 0;
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>) {
    expect(hasScript, '`script` (util-linux) is needed for the pseudo-terminal test').toBe(true);
    const command = `stty cols 100 rows 40; exec '${process.execPath}' bin/replicate-setup.js ${args.join(' ')}`;
    this.child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, TERM: 'xterm-256color', ...env } });
    this.child.stdout.on('data', (chunk) => (this.raw += String(chunk)));
    this.child.stderr.on('data', (chunk) => (this.raw += String(chunk)));
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  /** Everything shown so far, as text. */
  get text(): string {
    return stripVTControlCharacters(this.raw);
  }

  get rawOutput(): string {
    return this.raw;
  }

  /** Waits (at most 20 s) until `pattern` shows up after the previous match, then moves past it. */
  async waitFor(pattern: string | RegExp): Promise<void> {
    for (let waited = 0; waited < 20_000; waited += 20) {
      const fresh = this.text.slice(this.seen);
      const end =
        typeof pattern === 'string'
          ? fresh.includes(pattern)
            ? fresh.indexOf(pattern) + pattern.length
            : -1
          : ((match) => (match ? match.index + match[0].length : -1))(pattern.exec(fresh));
      if (end >= 0) {
        this.seen += end;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.child.kill('SIGKILL');
    throw new Error(`the terminal never showed ${String(pattern)}; it shows:\n${this.text.slice(-3000)}`);
  }

  send(...keys: string[]): void {
    this.child.stdin.write(keys.join(''));
  }

  async exitCode(): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

describe('wizard in a real terminal', () => {
  it('reaches a working setup from keystrokes alone, readable without colour', async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const destination = uniqueBucketName('clint-s3-bucket');
    const term = new Terminal(['wizard', '--endpoint-url', emu.endpoint], { ...emu.env, NO_COLOR: '1' });

    await term.waitFor(/Source AWS profile \(the account whose bucket is copied from\):\s*❯ abcd\s+xyz/);
    term.send(KEY.down);
    await term.waitFor(/❯ xyz\s+no profile: default chain\s+region ap-southeast-1/);
    term.send(KEY.enter);
    await term.waitFor('✓ profile xyz is account 111111111111');

    await term.waitFor('Source region (type to search)');
    term.send('singapore');
    // Only Singapore left in the list: the search has finished, Enter picks it.
    await term.waitFor(/singapore\s*❯ ap-southeast-1\s+Asia Pacific \(Singapore\)\s+\(profile xyz's region\)\s*↑↓/);
    term.send(KEY.enter);

    await term.waitFor('Source bucket name (created if missing)');
    term.send('Rubes_Bucket', KEY.enter);
    await term.waitFor('A bucket name may contain only lowercase letters, digits, dots (.) and hyphens (-).');
    term.send(KEY.backspace.repeat('Rubes_Bucket'.length), source, KEY.enter);

    await term.waitFor(/Destination AWS profile \(the account that receives the copies\):\s*❯ abcd/);
    term.send(KEY.enter);
    await term.waitFor('✓ profile abcd is account 222222222222');
    await term.waitFor(/Destination region \(type to search\):\s*❯ ap-southeast-2\s+Asia Pacific \(Sydney\)\s+\(profile abcd's region\)/);
    term.send(KEY.enter);

    await term.waitFor('Destination bucket name (created if missing)');
    term.send(destination, KEY.enter);

    await term.waitFor('Replication role to create in the source account: (s3-replication-role)');
    term.send('s3_replication_role', KEY.enter);

    // The company account's IAM users, read with ListUsers: admin, clint-eastwood, tom-cruise.
    await term.waitFor(/Who in account 222222222222 may read the source bucket\? \(none is fine\)\s*❯◯ admin\s+◯ clint-eastwood\s+◯ tom-cruise/);
    term.send(KEY.down, KEY.down, KEY.space);
    await term.waitFor('❯◉ tom-cruise');
    term.send(KEY.enter);

    await term.waitFor('Replicate only keys under this prefix (empty: the whole bucket)');
    term.send(KEY.enter);
    await term.waitFor('Replication Time Control (RTC)?');
    term.send(KEY.enter);
    await term.waitFor('Replicate delete markers?');
    term.send(KEY.enter);
    await term.waitFor('More options');
    term.send(KEY.enter);

    await term.waitFor(/Source account 111111111111 \(profile xyz, ap-southeast-1\)[\s\S]*Plan: \d+ to create/);
    await term.waitFor('Apply these changes to both accounts? (Y/n)');
    term.send(KEY.enter);

    await term.waitFor(/Applied: \d+ created, 0 updated, 0 deleted/);
    expect(await term.exitCode()).toBe(0);
    expect(term.text).not.toMatch(/Error|What to do/);
    // NO_COLOR: no colour or bold escape codes in questions, plan or results, yet every prompt above was answerable.
    // (The spinner glyph is left out of this check: ora colours it whatever NO_COLOR says; see src/report/progress.ts.)
    const withoutSpinner = term.rawOutput.replace(/\x1b\[36m[\u2800-\u28ff]\x1b\[39m/g, '');
    expect(withoutSpinner).not.toMatch(/\x1b\[(?:1|2|3[0-7]|9[0-7])m/);

    const partner = emu.clients('source').s3;
    const company = emu.clients('destination').s3;
    await partner.send(new HeadBucketCommand({ Bucket: source }));
    await company.send(new HeadBucketCommand({ Bucket: destination }));
    for (const [s3, Bucket] of [
      [partner, source],
      [company, destination],
    ] as const) {
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    }
    const { Role } = await emu.clients('source').iam.send(new GetRoleCommand({ RoleName: 's3_replication_role' }));
    const { ReplicationConfiguration } = await partner.send(new GetBucketReplicationCommand({ Bucket: source }));
    expect(ReplicationConfiguration?.Role).toBe(Role?.Arn);
    expect(ReplicationConfiguration?.Rules?.[0]).toMatchObject({
      Status: 'Enabled',
      Destination: { Bucket: `arn:aws:s3:::${destination}`, Account: '222222222222', ReplicationTime: { Status: 'Enabled' } },
    });
    const sourcePolicy = JSON.parse((await partner.send(new GetBucketPolicyCommand({ Bucket: source }))).Policy ?? '{}');
    expect(JSON.stringify(sourcePolicy)).toContain('arn:aws:iam::222222222222:user/tom-cruise');
    const destinationPolicy = JSON.parse((await company.send(new GetBucketPolicyCommand({ Bucket: destination }))).Policy ?? '{}');
    expect(JSON.stringify(destinationPolicy)).toContain(Role?.Arn);
    // A whole CLI session, answering a dozen questions, on a machine perhaps busy with the other test files.
  }, 90_000);

  it('Ctrl-C at a question exits 130 and leaves the accounts alone', async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const term = new Terminal(['wizard', '--endpoint-url', emu.endpoint, '--source-profile', 'xyz', '--source-region', 'ap-southeast-1'], emu.env);
    await term.waitFor('Source bucket name (created if missing)');
    term.send(source);
    await term.waitFor(source);
    term.send(KEY.ctrlC);
    expect(await term.exitCode()).toBe(130);
    expect(term.text).not.toMatch(/Error|Reading both accounts/);
    await expect(emu.clients('source').s3.send(new HeadBucketCommand({ Bucket: source }))).rejects.toThrow();
  });

  it('Ctrl-C while `plan` shows its spinner (every call held 3 s by a proxy) stops it at once: exit 130, no plan', async () => {
    const proxy = await startCountingProxy(emu.endpoint);
    proxy.delay = () => 3_000;
    try {
      const args = ['--source-profile', 'xyz', '--source-bucket', uniqueBucketName('rubes-s3-bucket'), '--dest-profile', 'abcd'];
      const term = new Terminal(['plan', '--endpoint-url', proxy.endpoint, ...args, '--dest-bucket', uniqueBucketName('clint-s3-bucket')], emu.env);
      await term.waitFor('Reading both accounts');
      const pressed = Date.now();
      term.send(KEY.ctrlC);
      expect(await term.exitCode()).toBe(130);
      // Before the next answer (3 s): the key stopped the run, not the run's end.
      expect(Date.now() - pressed).toBeLessThan(2_500);
      expect(term.text).not.toContain('Plan:');
    } finally {
      await proxy.close();
    }
  });

  it('`wizard > plan.txt` at a terminal: questions, progress and the profile check on the terminal, the plan in the file', async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const planFile = join(emu.dir, `plan-${source}.txt`);
    const given = [
      '--source-region',
      'ap-southeast-1',
      '--source-bucket',
      source,
      '--dest-profile',
      'abcd',
      '--dest-region',
      'ap-southeast-2',
      '--dest-bucket',
      uniqueBucketName('clint-s3-bucket'),
    ];
    const term = new Terminal(['wizard', '--endpoint-url', emu.endpoint, ...given, '>', planFile], { ...emu.env, NO_COLOR: '1' });
    // The profile question is on the terminal, with the default chain offered beside the profiles.
    await term.waitFor('Source AWS profile');
    await term.waitFor('no profile: default chain');
    term.send(KEY.down, KEY.enter); // xyz (abcd is first)
    await term.waitFor('✓ profile xyz is account 111111111111');
    for (const question of ['Replication role', 'may read the source bucket', 'prefix', 'Replication Time Control', 'delete markers', 'More options']) {
      await term.waitFor(question);
      term.send(KEY.enter);
    }
    await term.waitFor('Apply these changes to both accounts?');
    term.send('n', KEY.enter);
    expect(await term.exitCode()).toBe(0);
    const written = await readFile(planFile, 'utf8');
    expect(written).toContain('Source account 111111111111 (profile xyz, ap-southeast-1)');
    expect(written).toContain('Nothing was written.');
    // No question and no progress in the file: those went to the terminal (stderr).
    expect(written).not.toMatch(/AWS profile|Apply these changes|Already answered|✓ profile xyz/);
    expect(term.text).not.toContain('Source account 111111111111 (profile xyz');
    await expect(emu.clients('source').s3.send(new HeadBucketCommand({ Bucket: source }))).rejects.toThrow();
  }, 60_000);

  it('a role profile with mfa_serial: the MFA code is asked once at the terminal, then the run goes on', async () => {
    const configFile = join(emu.dir, 'mfa.config');
    const base = await readFile(emu.env.AWS_CONFIG_FILE!, 'utf8');
    await writeFile(
      configFile,
      `${base}\n[profile partner-admin]\nregion = ap-southeast-1\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = xyz\nmfa_serial = arn:aws:iam::111111111111:mfa/me\n`,
    );
    const args = ['plan', '--endpoint-url', emu.endpoint, '--source-profile', 'partner-admin', '--source-bucket', uniqueBucketName('rubes-s3-bucket')];
    const term = new Terminal([...args, '--dest-profile', 'partner-admin', '--dest-bucket', uniqueBucketName('clint-s3-bucket')], {
      ...emu.env,
      AWS_CONFIG_FILE: configFile,
      NO_COLOR: '1',
    });
    await term.waitFor('MFA code for profile partner-admin (arn:aws:iam::111111111111:mfa/me)');
    term.send('12345', KEY.enter);
    await term.waitFor('The code is the 6 digits your MFA device shows.');
    term.send('6', KEY.enter);
    expect(await term.exitCode()).toBe(0);
    // Both sides use the profile: one code serves both (asked once).
    expect(term.text.match(/✔ MFA code for profile partner-admin/g)?.length).toBe(1);
    expect(term.text).toContain('Source account 111111111111 (profile partner-admin, ap-southeast-1)');
  }, 60_000);
});
