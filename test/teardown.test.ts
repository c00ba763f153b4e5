// teardown undoes a setup exactly and nothing else: the built CLI against moto with two accounts. The user's own
// statements, rule and role policy and a second setup sharing the destination bucket and the role survive, asserted on
// the documents; buckets are deleted only when asked and emptied only when asked; without a terminal it needs --yes.
import { GetRoleCommand, ListRolePoliciesCommand, ListUserPoliciesCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  PutBucketReplicationCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../src/plan/compare.js';
import type { PolicyDocument } from '../src/plan/policy-types.js';
import { ensureBuilt, onlyJsonObject, pairArgs, runCli } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { inventory } from './support/inventory.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

const env = (): Record<string, string> => ({ ...emu.env, AWS_ENDPOINT_URL: emu.endpoint });

const setupArgs = (source: string, destination: string, extra: string[] = []): string[] =>
  pairArgs(source, destination, ['--role-name', 's3_replication_role', ...extra]);

async function cli(args: string[]): Promise<{ code: number | null; json: Record<string, unknown>; stderr: string }> {
  const result = await runCli(args, env());
  return { code: result.code, json: result.stdout.trim() ? onlyJsonObject(result.stdout) : {}, stderr: result.stderr };
}

const policyOf = async (s3: S3Client, bucket: string): Promise<PolicyDocument | undefined> =>
  s3.send(new GetBucketPolicyCommand({ Bucket: bucket })).then(
    (r) => parsePolicy(r.Policy),
    () => undefined,
  );

/** The inline policies of a user of the destination account, by name. */
const userPolicies = async (UserName: string): Promise<string[]> =>
  ((await emu.clients('destination').iam.send(new ListUserPoliciesCommand({ UserName }))).PolicyNames ?? []).sort();

const replicationOf = (s3: S3Client, bucket: string) =>
  s3.send(new GetBucketReplicationCommand({ Bucket: bucket })).then(
    (r) => r.ReplicationConfiguration,
    () => undefined,
  );

const steps = (json: Record<string, unknown>) => (json.steps as { id: string; action: string; resource: string; status?: string }[]) ?? [];

/** A policy of the user's own on a reader, which no teardown touches. */
const USER_READER_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] };

const USER_SOURCE_STATEMENT = { Sid: 'TheirAudit', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetBucketAcl' };

describe('teardown of one setup among others (built CLI, moto)', () => {
  it("removes exactly its own parts: the user's and a second setup's stay, a second teardown has nothing to do, wizard sets it up again", async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const otherSource = uniqueBucketName('other-partner');
    const destination = uniqueBucketName('clint-s3-bucket');
    const first = setupArgs(source, destination, ['--authorized-user', 'tom-cruise']);
    const second = setupArgs(otherSource, destination, ['--authorized-user', 'tom-cruise']);
    expect((await cli(['wizard', '--json', '--yes', '--no-verify', ...first])).code).toBe(0);
    expect((await cli(['wizard', '--json', '--yes', '--no-verify', ...second])).code).toBe(0);
    const { s3: sourceS3, iam } = emu.clients('source');
    const { s3: destinationS3 } = emu.clients('destination');

    // The user's own parts: a statement in the source policy, a rule of their own, a policy on the role.
    const sourcePolicy = (await policyOf(sourceS3, source))!;
    await sourceS3.send(
      new PutBucketPolicyCommand({
        Bucket: source,
        Policy: JSON.stringify({ ...sourcePolicy, Statement: [{ ...USER_SOURCE_STATEMENT, Resource: `arn:aws:s3:::${source}` }, ...sourcePolicy.Statement] }),
      }),
    );
    const replication = (await replicationOf(sourceS3, source))!;
    const theirRule = {
      ID: 'their-archive',
      Priority: 9,
      Status: 'Enabled' as const,
      Filter: { Prefix: 'archive/' },
      DeleteMarkerReplication: { Status: 'Disabled' as const },
      Destination: { Bucket: `arn:aws:s3:::${otherSource}` },
    };
    await sourceS3.send(
      new PutBucketReplicationCommand({ Bucket: source, ReplicationConfiguration: { ...replication, Rules: [...replication.Rules!, theirRule] } }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 's3_replication_role',
        PolicyName: 'their-own',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${otherSource}` }],
        }),
      }),
    );

    const secondBefore = { source: await policyOf(sourceS3, otherSource), replication: await replicationOf(sourceS3, otherSource) };
    const destinationBefore = (await policyOf(destinationS3, destination))!;

    const down = await cli(['teardown', '--json', '--yes', ...first]);
    expect(down.code, down.stderr).toBe(0);
    expect(steps(down.json).every((step) => step.status === 'done')).toBe(true);
    expect(
      steps(down.json)
        .map((step) => `${step.id}: ${step.action}`)
        .sort(),
    ).toEqual(
      [
        'destination-bucket-policy: update',
        'reader-policy:tom-cruise: delete',
        'replication-configuration: update',
        'replication-role-policy: delete',
        'source-bucket-policy: update',
      ].sort(),
    );
    // Source: only the user's statement and rule are left.
    expect((await policyOf(sourceS3, source))?.Statement).toEqual([{ ...USER_SOURCE_STATEMENT, Resource: `arn:aws:s3:::${source}` }]);
    expect((await replicationOf(sourceS3, source))?.Rules?.map((rule) => rule.ID)).toEqual(['their-archive']);
    // Destination: the second setup's grants are exactly as they were; the first's are gone.
    const destinationAfter = (await policyOf(destinationS3, destination))!;
    expect(destinationAfter.Statement).toEqual(destinationBefore.Statement.filter((s) => destinationAfter.Statement.some((kept) => kept.Sid === s.Sid)));
    expect(destinationAfter.Statement).toHaveLength(2);
    expect({ source: await policyOf(sourceS3, otherSource), replication: await replicationOf(sourceS3, otherSource) }).toEqual({
      source: secondBefore.source,
      replication: secondBefore.replication,
    });
    // The role stays: the second setup and the user still use it.
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 's3_replication_role' }))).PolicyNames).toHaveLength(2);
    const secondVerify = await cli(['verify', '--json', ...second]);
    expect(secondVerify.code, JSON.stringify(secondVerify.json)).toBe(0);

    const again = await cli(['teardown', '--json', '--yes', ...first]);
    expect(again.code).toBe(0);
    expect(steps(again.json).filter((step) => step.action !== 'no-op')).toEqual([]);

    const plan = await cli(['plan', '--json', ...first]);
    expect(steps(plan.json).find((step) => step.id === 'replication-role-policy')?.action).toBe('create');
    expect(steps(plan.json).find((step) => step.id === 'source-bucket')?.action).toBe('no-op');
    expect((await cli(['wizard', '--json', '--yes', ...first])).code).toBe(0);
  });

  it('deletes the role the tool created once nothing else uses it, and says what it leaves', async () => {
    const args = setupArgs(uniqueBucketName('rubes-s3-bucket'), uniqueBucketName('clint-s3-bucket'));
    expect((await cli(['wizard', '--json', '--yes', '--no-verify', ...args])).code).toBe(0);
    const down = await runCli(['teardown', '--yes', ...args], env());
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/- delete\s+Replication role s3_replication_role/);
    expect(down.stdout).toContain('Versioning stays on');
    expect(down.stdout).toContain('Block Public Access, default encryption and Object Ownership are left as they are');
    await expect(emu.clients('source').iam.send(new GetRoleCommand({ RoleName: 's3_replication_role' }))).rejects.toMatchObject({
      name: expect.stringMatching(/^NoSuchEntity/),
    });
  });
});

describe('teardown finds the readers in the setup’s own statements (built CLI, moto)', () => {
  it("without --authorized-user removes the reader policy the wizard wrote for tom-cruise; his own policy and another setup's stay", async () => {
    const [source, otherSource, destination] = [uniqueBucketName('two-src'), uniqueBucketName('other-src'), uniqueBucketName('two-dst-a')];
    const reader = ['--authorized-user', 'tom-cruise'];
    expect((await cli(['wizard', '--json', '--yes', '--no-verify', ...setupArgs(source, destination, reader)])).code).toBe(0);
    expect((await cli(['wizard', '--json', '--yes', '--no-verify', ...setupArgs(otherSource, destination, reader)])).code).toBe(0);
    const { iam } = emu.clients('destination');
    const own = { UserName: 'tom-cruise', PolicyName: 'their-own', PolicyDocument: JSON.stringify(USER_READER_POLICY) };
    await iam.send(new PutUserPolicyCommand(own));
    const before = await userPolicies('tom-cruise');
    const ours = before.filter((name) => name.startsWith('replicate-setup-read-') && name.endsWith(`-${source}-to-${destination}`));
    expect(ours).toHaveLength(1);

    const down = await runCli(['teardown', '--yes', ...setupArgs(source, destination)], env());
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/- delete\s+Identity policy of tom-cruise for this pair/);
    expect(await userPolicies('tom-cruise')).toEqual(before.filter((name) => !ours.includes(name)));
    expect(await userPolicies('tom-cruise')).toContain('their-own');
    const otherVerify = await cli(['verify', '--json', ...setupArgs(otherSource, destination, reader)]);
    expect(otherVerify.code, JSON.stringify(otherVerify.json)).toBe(0);

    const again = await cli(['teardown', '--json', '--yes', ...setupArgs(source, destination)]);
    expect(again.code).toBe(0);
    expect(steps(again.json).filter((step) => step.action !== 'no-op')).toEqual([]);
  });
});

describe('a reader dropped from --authorized-user (built CLI, moto)', () => {
  it('loses its reader policy at the wizard run that drops it, so no reader keeps one after the teardown', async () => {
    const [source, destination] = [uniqueBucketName('two-src'), uniqueBucketName('two-dst-a')];
    const withReader = (user: string) => setupArgs(source, destination, ['--authorized-user', user]);
    const clintBefore = await userPolicies('clint-eastwood');
    expect((await cli(['wizard', '--json', '--yes', '--no-verify', ...withReader('clint-eastwood')])).code).toBe(0);
    expect(await userPolicies('clint-eastwood')).toHaveLength(clintBefore.length + 1);

    const swap = await runCli(['wizard', '--yes', '--no-verify', ...withReader('tom-cruise')], env());
    expect(swap.code, swap.stderr).toBe(0);
    expect(swap.stdout).toMatch(/- delete\s+Identity policy of clint-eastwood for this pair/);
    expect(await userPolicies('clint-eastwood')).toEqual(clintBefore);
    const rerun = await cli(['plan', '--json', ...withReader('tom-cruise')]);
    expect(steps(rerun.json).filter((step) => step.action !== 'no-op')).toEqual([]);

    expect((await cli(['teardown', '--json', '--yes', ...withReader('tom-cruise')])).code).toBe(0);
    for (const user of ['tom-cruise', 'clint-eastwood']) expect((await userPolicies(user)).filter((name) => name.includes(source))).toEqual([]);
  });
});

describe('teardown --delete-buckets (built CLI, moto)', () => {
  it('refuses buckets holding versions and delete markers without --delete-objects (exit 1, nothing removed), deletes both with it', async () => {
    const [source, destination] = [uniqueBucketName('rubes-s3-bucket'), uniqueBucketName('clint-s3-bucket')];
    const args = setupArgs(source, destination);
    expect((await cli(['wizard', '--json', '--yes', '--no-verify', ...args])).code).toBe(0);
    const { s3 } = emu.clients('source');
    for (const Key of ['incidents/1.txt', 'incidents/2.txt']) await s3.send(new PutObjectCommand({ Bucket: source, Key, Body: 'report' }));
    await s3.send(new DeleteObjectCommand({ Bucket: source, Key: 'incidents/1.txt' }));
    await emu.clients('destination').s3.send(new PutObjectCommand({ Bucket: destination, Key: 'replica.txt', Body: 'copy' }));
    const before = await inventory(emu);
    const policyBefore = await policyOf(emu.clients('destination').s3, destination);

    const refused = await cli(['teardown', '--json', '--yes', '--delete-buckets', ...args]);
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ ok: false, error: { code: 'NOT_EMPTY' } });
    expect(String((refused.json.error as { message: string }).message)).toMatch(new RegExp(`${source} holds 3 object version`));
    expect(await inventory(emu)).toEqual(before);
    expect(await policyOf(emu.clients('destination').s3, destination)).toEqual(policyBefore);

    const removed = await cli(['teardown', '--json', '--yes', '--delete-buckets', '--delete-objects', ...args]);
    expect(removed.code, removed.stderr).toBe(0);
    for (const [client, bucket] of [
      [emu.clients('source').s3, source],
      [emu.clients('destination').s3, destination],
    ] as const) {
      await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    }
  });

  it('the notes speak only of the buckets kept: of the destination another setup still uses, of neither once both are deleted', async () => {
    const [source, otherSource, destination] = [uniqueBucketName('rubes-s3-bucket'), uniqueBucketName('other-partner'), uniqueBucketName('clint-s3-bucket')];
    for (const args of [setupArgs(source, destination), setupArgs(otherSource, destination)]) {
      expect((await cli(['wizard', '--json', '--yes', '--no-verify', ...args])).code).toBe(0);
    }
    const first = await cli(['teardown', '--json', '--yes', '--delete-buckets', ...setupArgs(source, destination)]);
    expect(first.code, first.stderr).toBe(0);
    const notes = first.json.notes as string[];
    expect(notes).toContain(`Versioning stays on for ${destination}: S3 cannot turn it off once on, only suspend it.`);
    expect(notes).toContain(`Block Public Access, default encryption and Object Ownership are left as they are on ${destination}.`);
    expect(notes.filter((note) => note.includes(source))).toEqual([]);

    const last = await runCli(['teardown', '--yes', '--delete-buckets', ...setupArgs(otherSource, destination)], env());
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toMatch(/- delete\s+Destination bucket/);
    expect(last.stdout).not.toContain('Versioning stays on');
    expect(last.stdout).not.toContain('Block Public Access');
  });

  it('--delete-keys schedules the keys it created for deletion, 30 days out, and says the date', async () => {
    const args = setupArgs(uniqueBucketName('rubes-s3-bucket'), uniqueBucketName('clint-s3-bucket'), ['--encryption', 'sse-kms']);
    expect((await cli(['wizard', '--json', '--yes', '--no-verify', ...args])).code).toBe(0);
    const down = await cli(['teardown', '--json', '--yes', '--delete-keys', ...args]);
    expect(down.code, down.stderr).toBe(0);
    expect(
      steps(down.json)
        .filter((step) => step.id.endsWith('kms-key'))
        .map((step) => step.action),
    ).toEqual(['delete', 'delete']);
    expect((down.json.notes as string[]).join(' ')).toMatch(/scheduled for deletion on \d{4}-\d{2}-\d{2} \(30 days/);
    for (const step of steps(down.json).filter((s) => s.id.endsWith('kms-key'))) {
      const side = step.id.startsWith('source') ? 'source' : 'destination';
      const { KeyMetadata } = await emu.clients(side).kms.send(new DescribeKeyCommand({ KeyId: step.resource }));
      expect(KeyMetadata?.KeyState).toBe('PendingDeletion');
    }
  });
});

describe('teardown refuses before reading or writing anything (built CLI, moto)', () => {
  const args = setupArgs('rubes-s3-bucket', 'clint-s3-bucket');

  it.each([
    ['without a terminal and without --yes', ['teardown', ...args], '--yes'],
    ['with --json and without --yes', ['teardown', '--json', ...args], '--yes'],
    ['--delete-objects without --delete-buckets', ['teardown', '--yes', '--delete-objects', ...args], '--delete-objects'],
    ['a bad bucket name', ['teardown', '--yes', ...setupArgs('Bad_Bucket', 'clint-s3-bucket')], '--source-bucket'],
  ])('%s: exit 2 naming the flag, nothing removed', async (_name, argv, flag) => {
    expect((await cli(['wizard', '--json', '--yes', '--no-verify', ...args])).code).toBe(0);
    const before = await inventory(emu);
    const result = await runCli(argv, env());
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain(flag);
    expect(await inventory(emu)).toEqual(before);
  });
});
