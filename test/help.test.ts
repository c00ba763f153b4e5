// `--help` of each command, as the built CLI prints it: examples, required options marked, exit codes, environment
// variables and a docs link; verify's help describes checking, never creating.

import { beforeAll, describe, expect, it } from 'vitest';
import { DOCS_URL } from '../src/help-epilogue.js';
import { ensureBuilt, runCli } from './support/cli.js';

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

describe('--help', () => {
  it.each(['wizard', 'plan', 'verify'])('%s --help has examples, required options, exit codes, environment and docs', async (command) => {
    const { code, stdout } = await runCli([command, '--help'], {});
    expect(code).toBe(0);
    expect(stdout).toContain(`Examples:\n  $ replicate-setup ${command} `);
    const flat = stdout.replace(/\s+/g, ' ');
    expect(flat).toMatch(/--source-bucket <name> [a-z ,]*\(required\)/);
    expect(flat).toMatch(/--dest-bucket <name> [a-z ,]*\(required\)/);
    expect(flat).not.toMatch(/--source-profile <name> [a-z ,()]*required/);
    expect(stdout).toMatch(/Exit codes:\n {2}0 {4}/);
    expect(stdout).toContain('  2    invalid input');
    expect(stdout).toContain('Environment variables:');
    for (const name of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_CONFIG_FILE']) expect(stdout).toContain(name);
    expect(stdout).toContain(`Documentation: ${DOCS_URL}`);
  });

  it('verify --help does not say "created if missing"; wizard --help does', async () => {
    const verify = await runCli(['verify', '--help'], {});
    expect(verify.stdout).not.toContain('created if missing');
    expect(verify.stdout).toContain('source bucket to check');
    const wizard = await runCli(['wizard', '--help'], {});
    expect(wizard.stdout.replace(/\s+/g, ' ')).toContain('source bucket, created if missing');
  });
});
