// `permissions` through the built CLI against moto (auth off: this file proves the shape and the derivation; the
// policies are proven sufficient and necessary in test/permissions-enforced.test.ts, with moto enforcing IAM).
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, onlyJsonObject, runCli, seedArgs } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

const env = (): Record<string, string> => ({ ...emu.env, AWS_ENDPOINT_URL: emu.endpoint });

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
interface ProfilePolicy {
  side: string;
  profile: string;
  account: string;
  policy: { Version: string; Statement: Statement[] };
}

const actionsOf = (policy: ProfilePolicy): string[] => policy.policy.Statement.flatMap((s) => s.Action);
const resourcesOf = (policy: ProfilePolicy, action: string): string[] =>
  policy.policy.Statement.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource);

describe('permissions (built CLI, moto)', () => {
  it('--json prints one policy per profile, scoped to the seed setup, with no wildcard action', async () => {
    const names = { src: uniqueBucketName('rubes-s3-bucket'), dst: uniqueBucketName('clint-s3-bucket'), role: 's3_replication_role' };
    const result = await runCli(['permissions', ...seedArgs(names), '--json'], env());
    expect(result.code, result.stderr).toBe(0);
    const report = onlyJsonObject(result.stdout) as { ok: boolean; policies: ProfilePolicy[] };
    expect(report.ok).toBe(true);
    expect(report.policies.map((p) => [p.side, p.profile, p.account])).toEqual([
      ['source', 'xyz', '111111111111'],
      ['destination', 'abcd', '222222222222'],
    ]);
    const [source, destination] = report.policies as [ProfilePolicy, ProfilePolicy];
    for (const policy of report.policies) {
      expect(policy.policy.Version).toBe('2012-10-17');
      for (const action of actionsOf(policy)) expect(action).not.toContain('*');
    }
    expect(resourcesOf(source, 's3:CreateBucket')).toEqual([`arn:aws:s3:::${names.src}`]);
    expect(resourcesOf(destination, 's3:CreateBucket')).toEqual([`arn:aws:s3:::${names.dst}`]);
    expect(resourcesOf(source, 's3:ListAllMyBuckets')).toEqual(['*']);
    expect(resourcesOf(source, 'iam:CreateRole')).toEqual(['arn:aws:iam::111111111111:role/s3_replication_role']);
    const passRole = source.policy.Statement.find((s) => s.Action.includes('iam:PassRole'))!;
    expect(passRole).toMatchObject({
      Resource: ['arn:aws:iam::111111111111:role/s3_replication_role'],
      Condition: { StringEquals: { 'iam:PassedToService': 's3.amazonaws.com' } },
    });
    expect(resourcesOf(destination, 'iam:PutUserPolicy')).toEqual(['arn:aws:iam::222222222222:user/tom-cruise']);
    expect(actionsOf(destination)).not.toContain('iam:CreateRole');
    expect(actionsOf(source)).not.toContain('sts:GetCallerIdentity');
  }, 60_000);

  it('--for teardown without --authorized-user: the reader the setup’s statements name may have its policy read and deleted, nothing else of its', async () => {
    const names = { src: uniqueBucketName('two-src'), dst: uniqueBucketName('two-dst-a'), role: 'two-role' };
    const wizard = await runCli(['wizard', '--yes', '--no-verify', '--json', ...seedArgs(names)], env());
    expect(wizard.code, wizard.stderr).toBe(0);
    const withoutReader = seedArgs(names).slice(0, -2);
    const result = await runCli(['permissions', ...withoutReader, '--for', 'teardown', '--json'], env());
    expect(result.code, result.stderr).toBe(0);
    const destination = (onlyJsonObject(result.stdout) as { policies: ProfilePolicy[] }).policies.find((p) => p.side === 'destination')!;
    const tom = 'arn:aws:iam::222222222222:user/tom-cruise';
    for (const action of ['iam:GetUserPolicy', 'iam:ListUserPolicies', 'iam:DeleteUserPolicy']) expect(resourcesOf(destination, action)).toEqual([tom]);
    // Not looked up (it is named by an ARN already), never written to otherwise.
    expect(actionsOf(destination)).not.toContain('iam:GetUser');
    expect(actionsOf(destination)).not.toContain('iam:PutUserPolicy');
  }, 60_000);

  it('--for wizard with a reader dropped from the flags: its reader policy may be read and deleted, as the plan deletes it', async () => {
    const names = { src: uniqueBucketName('two-src'), dst: uniqueBucketName('two-dst-a'), role: 'two-role' };
    const wizard = await runCli(['wizard', '--yes', '--no-verify', '--json', ...seedArgs(names).slice(0, -2), '--authorized-user', 'clint-eastwood'], env());
    expect(wizard.code, wizard.stderr).toBe(0);
    const result = await runCli(['permissions', ...seedArgs(names), '--json'], env());
    expect(result.code, result.stderr).toBe(0);
    const destination = (onlyJsonObject(result.stdout) as { policies: ProfilePolicy[] }).policies.find((p) => p.side === 'destination')!;
    const clint = 'arn:aws:iam::222222222222:user/clint-eastwood';
    for (const action of ['iam:GetUserPolicy', 'iam:DeleteUserPolicy']) expect(resourcesOf(destination, action)).toContain(clint);
    expect(resourcesOf(destination, 'iam:PutUserPolicy')).toEqual(['arn:aws:iam::222222222222:user/tom-cruise']);
  }, 60_000);
});
