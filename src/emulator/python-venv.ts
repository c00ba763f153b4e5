// Creates a Python venv under <repo>/.cache holding one pinned tool (moto server for the emulator, cfn-lint for the
// export tests), once, under a lock so parallel test files do not install it twice. Only node built-ins are used so
// this works from dist/ without dev dependencies.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOCK_STALE_MS = 15 * 60_000;

/** The directory holding package.json, found from this file (src/emulator/ or dist/emulator/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`replicate-setup: cannot find package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function log(message: string): void {
  process.stderr.write(`[venv] ${message}\n`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // Inherit stderr so the (slow) first install shows its progress; stdout would pollute CLI output.
    const child = spawn(command, args, { stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`))));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock by atomically creating a directory. Waits while another live
 * process holds it; breaks it if its owner died or it is older than LOCK_STALE_MS.
 */
async function withLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  let announced = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => ''));
      const age =
        Date.now() -
        (await stat(lockDir)
          .then((s) => s.mtimeMs)
          .catch(() => Date.now()));
      // A lock without a pid file yet is being taken right now: only break it when old.
      if ((owner > 0 && !pidAlive(owner)) || age > LOCK_STALE_MS) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) log(`waiting for another process installing into ${lockDir}...`);
      announced = true;
      await sleep(500);
    }
  }
  try {
    await writeFile(join(lockDir, 'pid'), String(process.pid));
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

export interface VenvTool {
  /** Directory name under .cache, e.g. `moto-venv`. */
  venv: string;
  /** What pip installs, pinned: `moto[server]==5.2.5`. */
  requirements: string[];
  /** The console script the package installs, e.g. `moto_server`. */
  binary: string;
  label: string;
}

/** What a venv was installed with: a venv made for other pins (an older checkout's) is brought up to these. */
const PINS_FILE = 'replicate-setup-pins.txt';
const pinsText = (tool: VenvTool): string => `${[...tool.requirements].sort().join('\n')}\n`;

async function installedPins(venv: string): Promise<string | undefined> {
  return readFile(join(venv, PINS_FILE), 'utf8').catch(() => undefined);
}

/** Returns the tool's binary, creating <repo>/.cache/<venv> on first use (about a minute). */
export async function ensureVenvTool(tool: VenvTool): Promise<string> {
  const cache = join(repoRoot(), '.cache');
  const venv = join(cache, tool.venv);
  const isWindows = process.platform === 'win32';
  const binary = join(venv, isWindows ? 'Scripts' : 'bin', isWindows ? `${tool.binary}.exe` : tool.binary);
  const ready = async (): Promise<boolean> => existsSync(binary) && (await installedPins(venv)) === pinsText(tool);
  if (await ready()) return binary;

  await mkdir(cache, { recursive: true });
  return withLock(join(cache, `${tool.venv}.lock`), async () => {
    if (await ready()) return binary; // another process finished while we waited
    const python = process.env.PYTHON ?? (isWindows ? 'python' : 'python3');
    const pip = join(venv, isWindows ? 'Scripts' : 'bin', 'pip');
    // A venv with the binary only lacks pins: pip brings it up to them. One without is a broken attempt: start over.
    const upgrade = existsSync(binary);
    try {
      if (!upgrade) {
        await rm(venv, { recursive: true, force: true });
        log(`creating Python venv at ${venv}`);
        await run(python, ['-m', 'venv', venv]);
      }
      log(`installing ${tool.requirements.join(' ')}${upgrade ? '' : ' (takes about a minute the first time)'}`);
      await run(pip, ['install', '--quiet', ...tool.requirements]);
    } catch (error) {
      await rm(venv, { recursive: true, force: true });
      throw new Error(`could not install ${tool.label} (needs python3 with venv and network access): ${(error as Error).message}`);
    }
    if (!existsSync(binary)) throw new Error(`${tool.label} installed but ${binary} is missing`);
    await writeFile(join(venv, PINS_FILE), pinsText(tool));
    log(`${tool.label} installed`);
    return binary;
  });
}
