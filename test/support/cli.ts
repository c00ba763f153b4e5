// Runs the BUILT CLI as a user would: `node bin/replicate-setup.js ...` in a child process, with only the emulator's
// AWS settings in its environment. Builds dist/ first when it is missing or older than the sources (so the tests work
// with `npm test`, which builds, and with a bare `vitest run`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'dist', 'cli.js');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const isStale = (): boolean =>
  !existsSync(ENTRY) ||
  Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'tsconfig.build.json')), newestMtime(join(ROOT, 'tsconfig.json'))) > statSync(ENTRY).mtimeMs;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds once across test files running in parallel: an mkdir lock, and a re-check after taking it. */
export async function ensureBuilt(): Promise<void> {
  if (!isStale()) return;
  const lock = join(ROOT, '.cache', 'build.lock');
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another file is building; a lock older than two minutes belongs to a dead process.
      if (waited > 120_000) rmSync(lock, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    if (!isStale()) return;
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0 || !existsSync(ENTRY)) throw new Error(`the build (tsc -p tsconfig.build.json) failed:\n${build.stdout}${build.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The child's environment: the parent's minus every AWS_ setting (so nothing reaches a real account or another
 * profile), plus `env` (the emulator's profile files and endpoint). No colour, so output can be matched.
 */
export function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && name !== 'FORCE_COLOR'));
  return { ...clean, NO_COLOR: '1', ...env };
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // stdin is a pipe, not a terminal: the wizard must never ask.
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'replicate-setup.js'), ...args], { cwd: ROOT, env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** stdout holds exactly one JSON object and nothing else. */
export function onlyJsonObject(stdout: string): Record<string, unknown> {
  const value: unknown = JSON.parse(stdout);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`stdout is JSON but not one object: ${stdout.slice(0, 200)}`);
  return value as Record<string, unknown>;
}

/** One setup's bucket and role names, for the CLI tests (test/cli-*.test.ts). */
export interface Names {
  src: string;
  dst: string;
  role: string;
}

/** The seed's flags, with these names. */
export const seedArgs = (n: Names): string[] => [
  '--source-profile',
  'xyz',
  '--source-region',
  'ap-southeast-1',
  '--source-bucket',
  n.src,
  '--dest-profile',
  'abcd',
  '--dest-region',
  'ap-southeast-2',
  '--dest-bucket',
  n.dst,
  '--role-name',
  n.role,
  '--authorized-user',
  'tom-cruise',
];

/** The two accounts' flags for one pair of buckets (partner xyz → company abcd), with any more flags after them. */
export const pairArgs = (source: string, destination: string, extra: string[] = []): string[] => [
  '--source-profile',
  'xyz',
  '--source-bucket',
  source,
  '--dest-profile',
  'abcd',
  '--dest-bucket',
  destination,
  ...extra,
];
