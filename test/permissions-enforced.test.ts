// The policies `permissions` prints are enough, and each action in them is needed: proven against moto with IAM
// enforcement ON (see support/enforced.ts), running the built CLI as an operator user that holds exactly the printed
// policy. moto checks identity policies by action name only: these tests prove the ACTIONS, not the resource scoping
// or conditions (those are the generator's, tested in test/permissions-policy.test.ts, and AWS's simulator's).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TwoAccounts } from '../src/emulator/accounts.js';
import type { MotoServer } from '../src/emulator/moto-server.js';
import { ensureBuilt, onlyJsonObject, runCli, seedArgs } from './support/cli.js';
import { uniqueBucketName } from './support/emulator.js';
import { asMotoEvaluates, createOperator, operatorProfiles, type PolicyDoc, setEnforcement, setUpTwoAccounts, startPrivateMoto, without } from './support/enforced.js';

let server: MotoServer;
let dir: string;
let setup: TwoAccounts;
let round = 0;

beforeAll(async () => {
  await ensureBuilt();
  server = await startPrivateMoto();
  dir = await mkdtemp(join(tmpdir(), 'replicate-setup-enforced-'));
}, 180_000);
beforeEach(async () => {
  await setEnforcement(server.endpoint, false);
  await server.reset();
  setup = await setUpTwoAccounts(server.endpoint, join(dir, `aws-${++round}`));
});
afterEach(async () => {
  await setEnforcement(server.endpoint, false);
});
afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Printed {
  side: 'source' | 'destination';
  policy: PolicyDoc;
}

const names = () => ({ src: uniqueBucketName('rubes-s3-bucket'), dst: uniqueBucketName('clint-s3-bucket'), role: 's3_replication_role' });
const adminEnv = (): Record<string, string> => ({ ...setup.env, AWS_ENDPOINT_URL: server.endpoint });

/** `permissions --for <scope> --json` as the admin (enforcement off), each side's policy. */
async function printed(args: string[], scope: string): Promise<{ source: PolicyDoc; destination: PolicyDoc }> {
  const result = await runCli(['permissions', ...args, '--for', scope, '--json'], adminEnv());
  expect(result.code, result.stderr).toBe(0);
  const policies = (onlyJsonObject(result.stdout) as { policies: Printed[] }).policies;
  return { source: policies.find((p) => p.side === 'source')!.policy, destination: policies.find((p) => p.side === 'destination')!.policy };
}

/** Operators holding these policies, then enforcement on: the environment to run the CLI as them. */
async function asOperators(policies: { source: PolicyDoc; destination: PolicyDoc }): Promise<Record<string, string>> {
  const keys = {
    source: await createOperator(server.endpoint, setup.credentials.source, asMotoEvaluates(policies.source)),
    destination: await createOperator(server.endpoint, setup.credentials.destination, asMotoEvaluates(policies.destination)),
  };
  const env = await operatorProfiles(setup, join(dir, `aws-${round}`), keys);
  await setEnforcement(server.endpoint, true);
  return { ...env, AWS_ENDPOINT_URL: server.endpoint };
}

describe('the printed policies, enforced by moto (built CLI as operators holding exactly them)', () => {
  it('wizard --yes and then verify succeed as operators holding the policy `permissions --for all` printed', async () => {
    const args = seedArgs(names());
    const env = await asOperators(await printed(args, 'all'));
    const wizard = await runCli(['wizard', '--yes', ...args, '--json'], env);
    expect(wizard.code, `${wizard.stdout}\n${wizard.stderr}`).toBe(0);
    expect(onlyJsonObject(wizard.stdout).ok).toBe(true);
    const verify = await runCli(['verify', ...args, '--json'], env);
    expect(verify.code, `${verify.stdout}\n${verify.stderr}`).toBe(0);
  }, 120_000);
});
