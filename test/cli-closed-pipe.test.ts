// `replicate-setup … | head -1`: the reader closes the pipe before the program writes. Like any Unix tool, the
// program ends as it would have (exit 0) instead of dying of an unhandled EPIPE with a stack trace.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, ensureBuilt, ROOT } from './support/cli.js';

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

/** Runs the built CLI with its stdout's reading end closed at once, as `| head` does after its first lines. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'replicate-setup.js'), ...args], {
      cwd: ROOT,
      env: cliEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('output into a pipe its reader has closed', () => {
  it.each([{ command: '--help' }, { command: 'wizard --help' }, { command: 'permissions --help' }])(
    '$command ends with exit 0 and no stack trace',
    async ({ command }) => {
      const { code, stderr } = await runWithClosedStdout(command.split(' '));
      expect(stderr).not.toMatch(/EPIPE|at \w+ \(/);
      expect(code).toBe(0);
    },
  );
});
