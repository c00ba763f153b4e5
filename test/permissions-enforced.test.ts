// The policies `permissions` prints are enough, and each action in them is needed: proven against moto with IAM
// enforcement ON (see support/enforced.ts), running the built CLI as an operator user that holds exactly the printed
// policy. moto checks identity policies by action name only: these tests prove the ACTIONS, not the resource scoping
// or conditions (those are the generator's, tested in test/permissions-command.test.ts, and AWS's simulator's).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TwoAccounts } from '../src/emulator/accounts.js';
import type { MotoServer } from '../src/emulator/moto-server.js';
import { ensureBuilt, onlyJsonObject, runCli, seedArgs } from './support/cli.js';
import { uniqueBucketName } from './support/emulator.js';
import {
  asMotoEvaluates,
  createOperator,
  operatorProfiles,
  type PolicyDoc,
  setEnforcement,
  setUpTwoAccounts,
  startPrivateMoto,
  without,
} from './support/enforced.js';

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

/** Users `user` holding these policies, then enforcement on: the environment to run the CLI as them. */
async function asOperators(policies: { source: PolicyDoc; destination: PolicyDoc }, user = 'operator'): Promise<Record<string, string>> {
  const keys = {
    source: await createOperator(server.endpoint, setup.credentials.source, asMotoEvaluates(policies.source), user),
    destination: await createOperator(server.endpoint, setup.credentials.destination, asMotoEvaluates(policies.destination), user),
  };
  const env = await operatorProfiles(setup, join(dir, `aws-${round}`, user), keys);
  await setEnforcement(server.endpoint, true);
  return { ...env, AWS_ENDPOINT_URL: server.endpoint };
}

describe('the printed policies, enforced by moto (built CLI as operators holding exactly them)', () => {
  it('wizard --yes, verify and teardown --yes succeed as operators holding the policy `permissions --for all` printed', async () => {
    const args = seedArgs(names());
    const env = await asOperators(await printed(args, 'all'));
    const wizard = await runCli(['wizard', '--yes', ...args, '--json'], env);
    expect(wizard.code, `${wizard.stdout}\n${wizard.stderr}`).toBe(0);
    expect(onlyJsonObject(wizard.stdout).ok).toBe(true);
    const verify = await runCli(['verify', ...args, '--json'], env);
    expect(verify.code, `${verify.stdout}\n${verify.stderr}`).toBe(0);
    const teardown = await runCli(['teardown', '--yes', ...args, '--json'], env);
    expect(teardown.code, `${teardown.stdout}\n${teardown.stderr}`).toBe(0);
    const removed = onlyJsonObject(teardown.stdout).steps as { action: string; status: string }[];
    expect(removed.length).toBeGreaterThan(3);
    expect(removed.every((step) => step.status === 'done')).toBe(true);
  }, 120_000);

  // The keys' ARNs are unknown when the policies are printed: a key read by the run that creates it (its policy read
  // back before it is written, then by the closing verify) must be in them all the same, named as its write names it.
  it('sse-kms with keys the tool creates: wizard --yes, verify and teardown --yes each succeed as users holding only the policy its `permissions --for` printed before the keys existed', async () => {
    const args = [...seedArgs(names()), '--encryption', 'sse-kms'];
    const scopes = ['wizard', 'verify', 'teardown'] as const;
    const policies = Object.fromEntries(await Promise.all(scopes.map(async (scope) => [scope, await printed(args, scope)] as const)));
    for (const [scope, command] of [
      ['wizard', ['wizard', '--yes']],
      ['verify', ['verify']],
      ['teardown', ['teardown', '--yes']],
    ] as const) {
      await setEnforcement(server.endpoint, false);
      const env = await asOperators(policies[scope]!, `${scope}-operator`);
      const run = await runCli([...command, ...args, '--json'], env);
      expect(run.code, `${command.join(' ')}: ${run.stdout}\n${run.stderr}`).toBe(0);
    }
  }, 120_000);

  it('teardown --yes without --authorized-user removes the reader policy as operators holding the policy `permissions --for teardown` printed for it', async () => {
    const args = seedArgs(names());
    const wizard = await runCli(['wizard', '--yes', '--no-verify', ...args, '--json'], adminEnv());
    expect(wizard.code, wizard.stderr).toBe(0);
    // The same flags without --authorized-user tom-cruise: the reader is found in the setup's source bucket statements.
    const withoutReader = args.slice(0, -2);
    const env = await asOperators(await printed(withoutReader, 'teardown'));
    const teardown = await runCli(['teardown', '--yes', ...withoutReader, '--json'], env);
    expect(teardown.code, `${teardown.stdout}\n${teardown.stderr}`).toBe(0);
    const removed = onlyJsonObject(teardown.stdout).steps as { id: string; status: string }[];
    expect(removed.find((step) => step.id === 'reader-policy:tom-cruise')?.status).toBe('done');
  }, 120_000);

  // One action removed from one profile's printed policy, for each step moto checks under the action's own IAM name.
  // NOT provable here (moto checks them under another name, or not at all): s3:PutEncryptionConfiguration,
  // s3:PutReplicationConfiguration, s3:PutBucketOwnershipControls and s3:PutBucketPublicAccessBlock (moto checks
  // s3:CreateBucket for PUT ?encryption, ?replication, ?ownershipControls, ?publicAccessBlock: its table spells the last
  // public_access_block, so it never matches), their Get* reads (moto checks s3:ListBucket), s3:ListBucket itself on HEAD
  // (moto checks "s3:HeadBucket"), iam:PassRole (moto does not check it), every resource ARN and condition of IAM and
  // KMS actions (moto evaluates them against "*"), and the KMS actions (not in the seed).
  const samples = [
    { side: 'source', profile: 'xyz', action: 's3:ListAllMyBuckets', step: undefined },
    { side: 'source', profile: 'xyz', action: 's3:GetBucketVersioning', step: undefined },
    { side: 'source', profile: 'xyz', action: 'iam:GetRole', step: undefined },
    { side: 'destination', profile: 'abcd', action: 'iam:GetUser', step: undefined },
    { side: 'source', profile: 'xyz', action: 's3:CreateBucket', step: 'source-bucket' },
    { side: 'destination', profile: 'abcd', action: 's3:PutBucketVersioning', step: 'destination-versioning' },
    { side: 'source', profile: 'xyz', action: 'iam:CreateRole', step: 'replication-role' },
    { side: 'source', profile: 'xyz', action: 'iam:PutRolePolicy', step: 'replication-role-policy' },
    { side: 'destination', profile: 'abcd', action: 's3:PutBucketPolicy', step: 'destination-bucket-policy' },
    { side: 'destination', profile: 'abcd', action: 'iam:PutUserPolicy', step: 'reader-policy:tom-cruise' },
  ] as const;

  it.each(samples)(
    'without $action ($profile) wizard stops at its step, exit 1, naming the profile and the action',
    async ({ side, profile, action, step }) => {
      const args = seedArgs(names());
      const policies = await printed(args, 'wizard');
      expect(
        policies[side].Statement.some((s) => s.Action.includes(action)),
        `${action} is in the printed policy`,
      ).toBe(true);
      const env = await asOperators({ ...policies, [side]: without(policies[side], action) });
      const wizard = await runCli(['wizard', '--yes', ...args, '--json'], env);
      expect(wizard.code, wizard.stdout).toBe(1);
      const report = onlyJsonObject(wizard.stdout) as { error: { message: string; remedy?: string }; steps?: { id: string; status?: string }[] };
      const said = `${report.error.message} ${report.error.remedy ?? ''}`;
      expect(said).toContain(`profile "${profile}"`);
      expect(said).toContain(action);
      const failed = (report.steps ?? []).filter((s) => s.status === 'failed').map((s) => s.id);
      // A read fails in the preflight, before any step; a write fails at its own step.
      expect(failed).toEqual(step ? [step] : []);
    },
    60_000,
  );
});
