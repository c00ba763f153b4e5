// The built CLI as a user runs it (`node bin/replicate-setup.js`), against moto with two accounts, inspected with the
// SDK: bad input of every kind exits 2 naming the flag and what is allowed, with nothing created in either account.
// The seed run through the CLI is in test/cli-blackbox.test.ts.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BadCase } from './support/bad-input.js';
import { NAME_BATCHES } from './support/bad-input-names.js';
import { USAGE_BATCHES } from './support/bad-input-usage.js';
import { type CliResult, ensureBuilt, mapLimit, type Names, onlyJsonObject, runCli } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { inventory } from './support/inventory.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

/** The emulator's profiles for the child process, with its endpoint as a user would export it. */
const cliEnvironment = (extra: Record<string, string> = {}): Record<string, string> => ({ ...emu.env, AWS_ENDPOINT_URL: emu.endpoint, ...extra });

const BATCHES = [...NAME_BATCHES, ...USAGE_BATCHES];

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
  // Key problems and value problems of one file come in one message, as a fleet file's do.
  await writeFile(join(dir, 'typo-and-bad-bucket.json'), JSON.stringify({ sourceBuckt: n.src, sourceBucket: 'Not_A_Bucket' }));
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
