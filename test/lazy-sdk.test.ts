// The SDK packages of KMS, SNS, CloudWatch and S3 Control load on the first call to their service (aws/operation.ts,
// aws/clients.ts): a run that never calls them does not spend start-up time on them. Built CLI against moto; which
// packages a run loaded is reported by a preloaded module (test/support/report-loaded-sdk.mjs).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runCli, seedArgs } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();
beforeAll(ensureBuilt, 120_000);

const HOOK = join(ROOT, 'test', 'support', 'report-loaded-sdk.mjs');

async function loadedBy(extra: string[]): Promise<string[]> {
  const names = { src: uniqueBucketName('lazy-src'), dst: uniqueBucketName('lazy-dst'), role: 'lazy-role' };
  const result = await runCli(['plan', ...seedArgs(names), ...extra, '--endpoint-url', emu.endpoint], { ...emu.env, NODE_OPTIONS: `--import ${HOOK}` });
  expect(result.code, result.stderr).toBe(0);
  const line = /loaded SDK clients: (.*)$/m.exec(result.stderr)?.[1];
  expect(line, result.stderr).toBeDefined();
  return line!.split(' ');
}

describe('SDK packages load on first use (built CLI, moto)', () => {
  it('planning the walkthrough loads only the S3, IAM and STS clients', async () => {
    expect(await loadedBy([])).toEqual(['@aws-sdk/client-iam', '@aws-sdk/client-s3', '@aws-sdk/client-sts']);
  }, 60_000);

  it('with SSE-KMS the KMS client loads too, and with alerts SNS and CloudWatch', async () => {
    expect(await loadedBy(['--encryption', 'sse-kms'])).toContain('@aws-sdk/client-kms');
    const withAlerts = await loadedBy(['--alert-email', 'ops@example.com']);
    expect(withAlerts).toEqual(expect.arrayContaining(['@aws-sdk/client-sns', '@aws-sdk/client-cloudwatch']));
    expect(withAlerts).not.toContain('@aws-sdk/client-kms');
  }, 60_000);
});
