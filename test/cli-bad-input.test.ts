// The built CLI as a user runs it (`node bin/replicate-setup.js`), against moto with two accounts, inspected with the
// SDK: bad input of every kind exits 2 naming the flag and what is allowed, with nothing created in either account.
// The seed run through the CLI is in test/cli-blackbox.test.ts.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, ensureBuilt, mapLimit, type Names, onlyJsonObject, runCli, seedArgs } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { inventory } from './support/inventory.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

/** The emulator's profiles for the child process, with its endpoint as a user would export it. */
const cliEnvironment = (extra: Record<string, string> = {}): Record<string, string> => ({ ...emu.env, AWS_ENDPOINT_URL: emu.endpoint, ...extra });

interface BadCase {
  name: string;
  /** The full argument list, from this case's own (unused elsewhere) bucket and role names. */
  args: (n: Names, files: Files) => string[];
  /** The flag(s) the error must name. */
  flags: string[];
  /** What the message must say: the rule broken or what is allowed. */
  says: RegExp;
  /** Force one output mode; by default cases alternate between human and --json. */
  json?: boolean;
}

interface Files {
  dir: string;
}

const set = (args: string[], flag: string, value: string): string[] => {
  const at = args.indexOf(flag);
  if (at === -1) return [...args, flag, value];
  return [...args.slice(0, at + 1), value, ...args.slice(at + 2)];
};
const drop = (args: string[], flag: string): string[] => {
  const at = args.indexOf(flag);
  return at === -1 ? args : [...args.slice(0, at), ...args.slice(at + 2)];
};
const wizard = (args: string[]): string[] => ['wizard', '--yes', ...args];
const withValue = (flag: string, value: (n: Names) => string) => (n: Names) => wizard(set(seedArgs(n), flag, value(n)));

const NOT_A_BUCKET_NAME = /is not a valid bucket name: it/;

const BATCHES: { batch: string; cases: BadCase[] }[] = [
  {
    batch: 'bucket names, by each S3 naming rule',
    cases: [
      { name: 'two characters', args: withValue('--source-bucket', () => 'ab'), flags: ['--source-bucket'], says: /must be 3 to 63 characters long \(got 2\)/ },
      {
        name: '64 characters',
        args: withValue('--dest-bucket', (n) => n.dst.padEnd(64, 'x')),
        flags: ['--dest-bucket'],
        says: /must be 3 to 63 characters long \(got 64\)/,
      },
      { name: 'empty', args: withValue('--source-bucket', () => ''), flags: ['--source-bucket'], says: /must be 3 to 63 characters long \(got 0\)/ },
      {
        name: 'capital letters',
        args: withValue('--source-bucket', (n) => n.src.toUpperCase()),
        flags: ['--source-bucket'],
        says: /may contain only lowercase letters, digits, dots \(\.\) and hyphens \(-\)/,
      },
      {
        name: 'an underscore',
        args: withValue('--dest-bucket', (n) => n.dst.replace('-', '_')),
        flags: ['--dest-bucket'],
        says: /may contain only lowercase letters/,
      },
      {
        name: 'a leading hyphen',
        args: withValue('--source-bucket', (n) => `-${n.src}`),
        flags: ['--source-bucket'],
        says: /must begin and end with a lowercase letter or digit/,
      },
      {
        name: 'a trailing dot',
        args: withValue('--dest-bucket', (n) => `${n.dst}.`),
        flags: ['--dest-bucket'],
        says: /must begin and end with a lowercase letter or digit/,
      },
      {
        name: 'two adjacent dots',
        args: withValue('--source-bucket', (n) => n.src.replace('-', '..')),
        flags: ['--source-bucket'],
        says: /must not contain two adjacent dots/,
      },
      {
        name: 'an IP address',
        args: withValue('--dest-bucket', () => '10.11.12.13'),
        flags: ['--dest-bucket'],
        says: /must not be formatted as an IP address/,
      },
      { name: 'the xn-- prefix', args: withValue('--source-bucket', (n) => `xn--${n.src}`), flags: ['--source-bucket'], says: /must not start with "xn--"/ },
      {
        name: 'the sthree- prefix',
        args: withValue('--dest-bucket', (n) => `sthree-${n.dst}`),
        flags: ['--dest-bucket'],
        says: /must not start with "sthree-"/,
      },
      {
        name: 'the amzn-s3-demo- prefix',
        args: withValue('--source-bucket', (n) => `amzn-s3-demo-${n.src}`),
        flags: ['--source-bucket'],
        says: /must not start with "amzn-s3-demo-"/,
      },
      {
        name: 'the -s3alias suffix',
        args: withValue('--dest-bucket', (n) => `${n.dst}-s3alias`),
        flags: ['--dest-bucket'],
        says: /must not end with "-s3alias"/,
      },
      {
        name: 'the --ol-s3 suffix',
        args: withValue('--source-bucket', (n) => `${n.src}--ol-s3`),
        flags: ['--source-bucket'],
        says: /must not end with "--ol-s3"/,
      },
      { name: 'the .mrap suffix', args: withValue('--dest-bucket', (n) => `${n.dst}.mrap`), flags: ['--dest-bucket'], says: /must not end with "\.mrap"/ },
      {
        name: 'the --x-s3 suffix',
        args: withValue('--source-bucket', (n) => `${n.src}--x-s3`),
        flags: ['--source-bucket'],
        says: /must not end with "--x-s3"/,
      },
      {
        name: 'the same bucket on both sides',
        args: withValue('--dest-bucket', (n) => n.src),
        flags: ['--dest-bucket'],
        says: /must differ from --source-bucket/,
      },
    ],
  },
  {
    batch: 'regions and profiles',
    cases: [
      {
        name: 'an unknown source region',
        args: withValue('--source-region', () => 'mars-east-1'),
        flags: ['--source-region'],
        says: /"mars-east-1" is not an AWS region code the bundled AWS SDK knows \(for example ap-southeast-1/,
      },
      {
        name: 'an unknown destination region',
        args: withValue('--dest-region', () => 'ap-southeast-9'),
        flags: ['--dest-region'],
        says: /is not an AWS region code/,
      },
      {
        name: 'an upper-case region',
        args: withValue('--source-region', () => 'AP-SOUTHEAST-1'),
        flags: ['--source-region'],
        says: /is not an AWS region code/,
      },
      { name: 'an empty region', args: withValue('--dest-region', () => ''), flags: ['--dest-region'], says: /is not an AWS region code/ },
      {
        name: 'an unknown source profile',
        args: withValue('--source-profile', () => 'nobody'),
        flags: ['--source-profile'],
        says: /profile "nobody" is not in your AWS config or credentials file \(known: abcd, no-creds, no-region, xyz\)/,
      },
      {
        name: 'an unknown destination profile',
        args: withValue('--dest-profile', () => 'ghost'),
        flags: ['--dest-profile'],
        says: /profile "ghost" is not in your AWS config/,
      },
      { name: 'an empty profile', args: withValue('--source-profile', () => ''), flags: ['--source-profile'], says: /must not be empty/ },
      {
        name: 'a profile name with a space',
        args: withValue('--dest-profile', () => 'my profile'),
        flags: ['--dest-profile'],
        says: /must not contain spaces or brackets/,
      },
      {
        name: 'a profile without a region, and no --source-region',
        args: (n) => wizard(drop(set(seedArgs(n), '--source-profile', 'no-region'), '--source-region')),
        flags: ['--source-region'],
        says: /is required: profile "no-region" has no region configured/,
      },
      {
        name: 'a source profile without credentials',
        args: withValue('--source-profile', () => 'no-creds'),
        flags: ['--source-profile'],
        says: /Could not get credentials from profile "no-creds": Could not resolve credentials using profile.*aws configure --profile no-creds/s,
      },
      {
        name: 'a destination profile without credentials',
        args: withValue('--dest-profile', () => 'no-creds'),
        flags: ['--dest-profile'],
        says: /Could not get credentials from profile "no-creds"/,
      },
    ],
  },
  {
    batch: 'role names, users and ARNs',
    cases: [
      { name: 'an empty role name', args: withValue('--role-name', () => ''), flags: ['--role-name'], says: /a role name must not be empty/ },
      {
        name: 'a role name with a path',
        args: withValue('--role-name', (n) => `svc/${n.role}`),
        flags: ['--role-name'],
        says: /role paths \(such as service-role\/NAME\) are not supported/,
      },
      {
        name: 'a 65-character role name',
        args: withValue('--role-name', (n) => n.role.padEnd(65, 'r')),
        flags: ['--role-name'],
        says: /must be at most 64 characters \(got 65\)/,
      },
      { name: 'an empty user', args: withValue('--authorized-user', () => ''), flags: ['--authorized-user'], says: /an IAM user name must not be empty/ },
      {
        name: 'a user ARN with a short account id',
        args: withValue('--authorized-user', () => 'arn:aws:iam::2222:user/tom-cruise'),
        flags: ['--authorized-user'],
        says: /is not a valid IAM user or role ARN \(arn:aws:iam::123456789012:user\/NAME\)/,
      },
      {
        name: 'a group ARN',
        args: withValue('--authorized-user', () => 'arn:aws:iam::222222222222:group/readers'),
        flags: ['--authorized-user'],
        says: /is not a valid IAM user or role ARN/,
      },
      {
        name: 'a bucket ARN as a user',
        args: withValue('--authorized-user', () => 'arn:aws:s3:::clint-s3-bucket'),
        flags: ['--authorized-user'],
        says: /is not a valid IAM user or role ARN/,
      },
      {
        name: 'the same user twice',
        args: (n) => wizard([...seedArgs(n), '--authorized-user', 'tom-cruise']),
        flags: ['--authorized-user'],
        says: /lists the same user twice/,
      },
      {
        name: 'the same user by name and by ARN',
        args: (n) => wizard([...seedArgs(n), '--authorized-user', 'arn:aws:iam::222222222222:user/tom-cruise']),
        flags: ['--authorized-user'],
        says: /gives arn:aws:iam::222222222222:user\/tom-cruise twice/,
      },
      {
        name: 'a user the destination account does not have',
        args: withValue('--authorized-user', () => 'ghost-reader'),
        flags: ['--authorized-user'],
        says: /arn:aws:iam::222222222222:user\/ghost-reader does not exist in account 222222222222/,
      },
      {
        name: 'a malformed uploader ARN',
        args: (n) => wizard([...seedArgs(n), '--uploader', 'arn:aws:iam::1:user/loader']),
        flags: ['--uploader'],
        says: /is not a valid IAM user or role ARN/,
      },
      { name: 'a prefix with a leading slash', args: withValue('--prefix', () => '/incidents/'), flags: ['--prefix'], says: /must not start with "\/"/ },
    ],
  },
  {
    batch: 'choices, KMS keys and endpoints',
    cases: [
      {
        name: 'an unknown --encryption',
        args: withValue('--encryption', () => 'aes256'),
        flags: ['--encryption'],
        says: /argument 'aes256' is invalid\. Allowed choices are sse-s3, sse-kms/,
      },
      { name: 'an unknown --preset', args: withValue('--preset', () => 'backup'), flags: ['--preset'], says: /Allowed choices are log-backup/ },
      {
        name: 'an unknown --storage-class',
        args: withValue('--storage-class', () => 'COLD'),
        flags: ['--storage-class'],
        says: /"COLD" is not allowed: use one of STANDARD, .*GLACIER_IR/,
      },
      {
        name: 'a KMS key without sse-kms',
        args: withValue('--source-kms-key', () => 'alias/partner'),
        flags: ['--source-kms-key'],
        says: /needs --encryption sse-kms/,
      },
      {
        name: 'a malformed KMS key',
        args: (n) => wizard([...seedArgs(n), '--encryption', 'sse-kms', '--dest-kms-key', 'my-key']),
        flags: ['--dest-kms-key'],
        says: /is not a KMS key ARN, key id or alias \(alias\/NAME\)/,
      },
      {
        name: 'an endpoint that is not a URL',
        args: withValue('--endpoint-url', () => 'not a url'),
        flags: ['--endpoint-url'],
        says: /must be a URL such as http:\/\/127\.0\.0\.1:5000/,
      },
      {
        name: 'an ftp endpoint',
        args: withValue('--endpoint-url', () => 'ftp://127.0.0.1:21'),
        flags: ['--endpoint-url'],
        says: /must be an http:\/\/ or https:\/\/ URL/,
      },
      { name: 'an empty endpoint', args: withValue('--endpoint-url', () => ''), flags: ['--endpoint-url'], says: /must be a URL/ },
    ],
  },
  {
    batch: 'usage and config files',
    cases: [
      {
        name: 'required flags missing, no terminal to ask',
        // The destination profile may be left out (the default chain), but then its region must come from somewhere.
        args: (n) => ['wizard', '--source-profile', 'xyz', '--dest-bucket', n.dst],
        flags: ['--source-bucket', '--dest-region'],
        says: /is required/,
      },
      {
        name: 'plan without any flag',
        // The profiles may be left out (the default chain); the buckets, and without any region source the regions, not.
        args: () => ['plan'],
        flags: ['--source-bucket', '--dest-bucket', '--source-region', '--dest-region'],
        says: /is required/,
      },
      {
        name: 'an unknown flag',
        args: (n) => wizard([...seedArgs(n), '--sorce-bucket', n.src]),
        flags: ['--sorce-bucket'],
        says: /unknown option '--sorce-bucket'\s+\(Did you mean --source-bucket\?\)/,
      },
      {
        name: 'a flag without its value',
        args: (n) => wizard([...drop(seedArgs(n), '--dest-bucket'), '--dest-bucket']),
        flags: ['--dest-bucket'],
        says: /option '--dest-bucket <name>' argument missing/,
      },
      {
        name: 'an unknown command',
        args: (n) => ['wizzard', ...seedArgs(n)],
        flags: ['<command>'],
        says: /unknown command 'wizzard'\s+\(Did you mean wizard\?\)/,
        json: true,
      },
      {
        name: 'a config file that does not exist',
        args: (n, f) => wizard([...seedArgs(n), '--config', join(f.dir, 'missing.json')]),
        flags: ['--config'],
        says: /cannot read ".*missing\.json"/,
      },
      {
        name: 'a config file that is not JSON',
        args: (n, f) => wizard([...seedArgs(n), '--config', join(f.dir, 'broken.json')]),
        flags: ['--config'],
        says: /is not valid JSON/,
      },
      {
        name: 'a config file holding a list',
        args: (n, f) => wizard([...seedArgs(n), '--config', join(f.dir, 'list.json')]),
        flags: ['--config'],
        says: /must hold a JSON object of options/,
      },
      {
        name: 'a config file with an unknown key',
        args: (n, f) => wizard([...seedArgs(n), '--config', join(f.dir, 'typo.json')]),
        flags: ['--config'],
        says: /has unknown keys: sourceBuckt \(allowed: sourceProfile, .*endpointUrl\)/,
      },
      {
        name: 'a config file with values of the wrong type',
        args: (n, f) => wizard([...seedArgs(n), '--config', join(f.dir, 'wrong-types.json')]),
        flags: ['--config'],
        says: /rtc \(--no-rtc\) must be true or false, not "no"/,
      },
      {
        name: 'a config file with a bad bucket name',
        args: (n, f) => wizard([...drop(seedArgs(n), '--source-bucket'), '--config', join(f.dir, 'bad-bucket.json')]),
        flags: ['--source-bucket'],
        says: NOT_A_BUCKET_NAME,
      },
    ],
  },
];

/** Profile files as a user might have them: the emulator's two, one without a region, one without credentials. */
async function writeProfilesWithGaps(dir: string): Promise<Record<string, string>> {
  const { configFile, credentialsFile } = emu.setup.files;
  const config = `${await readFile(configFile, 'utf8')}\n[profile no-region]\noutput = json\n\n[profile no-creds]\nregion = ap-southeast-1\n`;
  const xyzKeys = /\[xyz\]\n([^[]*)/.exec(await readFile(credentialsFile, 'utf8'))?.[1] ?? '';
  const credentials = `${await readFile(credentialsFile, 'utf8')}\n[no-region]\n${xyzKeys}`;
  await writeFile(join(dir, 'config'), config);
  await writeFile(join(dir, 'credentials'), credentials);
  return { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
}

async function writeConfigFiles(dir: string, n: Names): Promise<void> {
  await writeFile(join(dir, 'broken.json'), '{ "sourceProfile": "xyz", ');
  await writeFile(join(dir, 'list.json'), '["--source-bucket", "x"]');
  await writeFile(join(dir, 'typo.json'), JSON.stringify({ sourceBuckt: n.src }));
  await writeFile(join(dir, 'wrong-types.json'), JSON.stringify({ rtc: 'no', authorizedUser: 'tom-cruise' }));
  await writeFile(join(dir, 'bad-bucket.json'), JSON.stringify({ sourceBucket: 'Bad_Bucket_Name' }));
}

/** What the user was told: the JSON error's problems, or the human text on stderr. */
function checkRefusal(c: BadCase, json: boolean, result: CliResult): void {
  const label = `${c.name}${json ? ' (--json)' : ''}`;
  expect.soft(result.code, `${label}: exit code\n${result.stderr}${result.stdout}`).toBe(2);
  if (json) {
    let report: Record<string, unknown> = {};
    expect.soft(() => (report = onlyJsonObject(result.stdout)), `${label}: stdout is one JSON object`).not.toThrow();
    const error = (report.error ?? {}) as { code?: string; problems?: { flag: string; message: string }[] };
    expect.soft(report.ok, `${label}: ok`).toBe(false);
    expect.soft(error.problems?.map((p) => p.flag) ?? [], `${label}: flags named`).toEqual(expect.arrayContaining(c.flags));
    expect.soft(error.problems?.map((p) => p.message).join('\n') ?? '', `${label}: what is allowed`).toMatch(c.says);
    expect.soft(result.stderr, `${label}: nothing but the JSON object`).toBe('');
  } else {
    for (const flag of c.flags) expect.soft(result.stderr, `${label}: names ${flag}`).toContain(flag);
    expect.soft(result.stderr, `${label}: what is allowed`).toMatch(c.says);
    expect.soft(result.stdout, `${label}: stdout`).toBe('');
  }
}

describe('bad input: exit 2, the flag named with what is allowed, nothing created', () => {
  const total = BATCHES.reduce((sum, b) => sum + b.cases.length, 0);
  it(`has at least 30 cases (${total})`, () => {
    expect(total).toBeGreaterThanOrEqual(30);
  });

  let caseNumber = 0;
  it.each(BATCHES.map((b) => ({ ...b, first: (caseNumber += b.cases.length) - b.cases.length })))(
    '$batch',
    async ({ cases, first }) => {
      const before = await inventory(emu);
      const dir = join(emu.dir, `bad-${first}`);
      const { mkdir } = await import('node:fs/promises');
      await mkdir(dir, { recursive: true });
      const env = cliEnvironment(await writeProfilesWithGaps(dir));
      const runs = cases.map((c, i) => {
        const n: Names = { src: uniqueBucketName(`bad-src-${first + i}`), dst: uniqueBucketName(`bad-dst-${first + i}`), role: `bad-role-${first + i}` };
        return { c, n, json: c.json ?? (first + i) % 2 === 1 };
      });
      for (const { n } of runs) await writeConfigFiles(dir, n);
      // --json goes right after the command: at the end it would be taken as the value of a flag left without one.
      const argsOf = (c: BadCase, n: Names, json: boolean): string[] => {
        const [command = '', ...rest] = c.args(n, { dir });
        return json ? [command, '--json', ...rest] : [command, ...rest];
      };
      const results = await mapLimit(runs, 4, ({ c, n, json }) => runCli(argsOf(c, n, json), env));
      for (const [i, { c, json }] of runs.entries()) checkRefusal(c, json, results[i]!);
      expect(await inventory(emu)).toEqual(before);
      expect(before.buckets).toEqual({ source: [], destination: [] });
    },
    120_000,
  );
});
