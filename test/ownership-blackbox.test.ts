// Setups that share a bucket, a role or a reader never touch each other: the built CLI against moto, each case one an
// adversarial user found corrupting another setup's configuration while exiting 0, now a regression test. Every
// assertion is on the documents as stored before and after the other setup's run.
import { GetRolePolicyCommand, GetUserPolicyCommand, ListRolePoliciesCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, GetBucketReplicationCommand, PutBucketPolicyCommand, type S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../src/plan/compare.js';
import type { PolicyDocument } from '../src/plan/policy-types.js';
import { ensureBuilt, onlyJsonObject, pairArgs, runCli } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { pairSid } from './support/fixtures.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

const env = (): Record<string, string> => ({ ...emu.env, AWS_ENDPOINT_URL: emu.endpoint });

const setupArgs = pairArgs;

async function wizard(args: string[]): Promise<void> {
  const result = await runCli(['wizard', '--yes', '--no-verify', '--json', ...args], env());
  expect(result.code, result.stdout + result.stderr).toBe(0);
}

/** What a run would change: the ids of the steps that are not no-op. */
async function pending(args: string[]): Promise<string[]> {
  const result = await runCli(['plan', '--json', ...args], env());
  expect(result.code, result.stderr).toBe(0);
  const steps = onlyJsonObject(result.stdout).steps as { id: string; action: string }[];
  return steps.filter((step) => step.action !== 'no-op').map((step) => `${step.id}: ${step.action}`);
}

async function verifyExit(args: string[]): Promise<{ code: number | null; failed: string[] }> {
  const result = await runCli(['verify', '--json', ...args], env());
  const report = onlyJsonObject(result.stdout) as { checks?: { id: string; status: string; message: string }[] };
  return { code: result.code, failed: (report.checks ?? []).filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.message}`) };
}

const bucketPolicy = async (s3: S3Client, bucket: string): Promise<PolicyDocument | undefined> =>
  parsePolicy((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy);

const statement = (policy: PolicyDocument | undefined, sid: string) => policy?.Statement.find((s) => s.Sid === sid);

describe('setups that share buckets, a role or readers (built CLI, moto)', () => {
  it('two sources whose names fold alike (rubes-s3-bucket, rubes.s3.bucket) keep both grants in the shared destination policy', async () => {
    const destination = uniqueBucketName('clint-s3-bucket');
    const suffix = uniqueBucketName('x').slice(-8);
    const [dashed, dotted] = [`rubes-s3-bucket-${suffix}`, `rubes.s3.bucket.${suffix}`];
    const first = setupArgs(dashed, destination, ['--role-name', 'role-a']);
    const second = setupArgs(dotted, destination, ['--role-name', 'role-b']);
    await wizard(first);
    const { s3 } = emu.clients('destination');
    const before = statement(await bucketPolicy(s3, destination), pairSid(dashed, destination, 'Replicas'));
    expect(before?.Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:role/role-a' });

    await wizard(second);
    const after = await bucketPolicy(s3, destination);
    expect(statement(after, pairSid(dashed, destination, 'Replicas'))).toEqual(before);
    expect(statement(after, pairSid(dotted, destination, 'Replicas'))?.Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:role/role-b' });
    // Alternating re-runs no longer flip the shared policy back and forth.
    expect(await pending(first)).toEqual([]);
    expect(await pending(second)).toEqual([]);
  });

  it("a destination whose name ends like another's (copy-to-clint…, clint…) does not claim its readers' statements", async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const shortName = uniqueBucketName('clint-s3-bucket');
    const longName = `copy-to-${shortName}`;
    await wizard(setupArgs(source, longName, ['--authorized-user', 'clint-eastwood']));
    const { s3 } = emu.clients('source');
    const clintsRead = pairSid(source, longName, 'AuthorizedRead');
    const before = statement(await bucketPolicy(s3, source), clintsRead);
    expect(before?.Principal).toEqual({ AWS: ['arn:aws:iam::222222222222:user/clint-eastwood'] });

    await wizard(setupArgs(source, shortName, ['--authorized-user', 'tom-cruise']));
    const after = await bucketPolicy(s3, source);
    expect(statement(after, clintsRead)).toEqual(before);
    expect(statement(after, pairSid(source, longName, 'AuthorizedList'))).toBeDefined();
    expect(statement(after, pairSid(source, shortName, 'AuthorizedRead'))?.Principal).toEqual({ AWS: ['arn:aws:iam::222222222222:user/tom-cruise'] });
  });

  it('pairs whose names differ only after the cut at 128 characters keep separate role and reader policies', async () => {
    // The previous release cut `replicate-setup-replication-<source>-to-<destination>` at 128 characters: with a
    // 63-character source only the first 33 characters of the destination counted.
    const source = `partner-${'0123456789'.repeat(6)}`.slice(0, 54) + uniqueBucketName('x').slice(-9);
    const stem = `clint-destination-with-a-long-shared-stem-${uniqueBucketName('x').slice(-8)}`;
    const [one, two] = [`${stem}-one`, `${stem}-two`];
    expect(source).toHaveLength(63);
    await wizard(setupArgs(source, one, ['--authorized-user', 'tom-cruise']));
    await wizard(setupArgs(source, two, ['--authorized-user', 'tom-cruise']));
    const role = 's3-replication-role';
    const { iam: sourceIam } = emu.clients('source');
    const rolePolicies = (await sourceIam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames ?? [];
    expect(rolePolicies).toHaveLength(2);
    const documents = await Promise.all(
      rolePolicies.map(async (PolicyName) => parsePolicy((await sourceIam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName }))).PolicyDocument)),
    );
    const destinations = documents.map((d) => JSON.stringify(d).includes(`arn:aws:s3:::${one}/`)).sort();
    expect(destinations).toEqual([false, true]);
    const { iam: companyIam } = emu.clients('destination');
    const readerPolicies = (await companyIam.send(new ListUserPoliciesCommand({ UserName: 'tom-cruise' }))).PolicyNames ?? [];
    expect(readerPolicies).toHaveLength(2);
    for (const PolicyName of readerPolicies) {
      expect((await companyIam.send(new GetUserPolicyCommand({ UserName: 'tom-cruise', PolicyName }))).PolicyDocument).toBeTruthy();
    }
    expect(await pending(setupArgs(source, one, ['--authorized-user', 'tom-cruise']))).toEqual([]);
  });

  it("one role serving two source buckets: each setup's verify judges its own part and passes", async () => {
    const first = setupArgs(uniqueBucketName('partner-a'), uniqueBucketName('company-a'));
    const second = setupArgs(uniqueBucketName('partner-b'), uniqueBucketName('company-b'));
    await wizard(first);
    await wizard(second);
    for (const args of [first, second]) {
      const { code, failed } = await verifyExit(args);
      expect(failed).toEqual([]);
      expect(code).toBe(0);
    }
  });

  it("keeps a bucket policy's own Version (2008-10-17): the user's policy variables keep their meaning", async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const destination = uniqueBucketName('clint-s3-bucket');
    await wizard(setupArgs(source, destination));
    const { s3 } = emu.clients('destination');
    const theirs = {
      Sid: 'HomeFolders',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${destination}/home/\${aws:username}/*`,
    };
    const current = (await bucketPolicy(s3, destination))!;
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: destination, Policy: JSON.stringify({ Version: '2008-10-17', Statement: [theirs, ...current.Statement] }) }),
    );
    await wizard(setupArgs(source, destination, ['--authorized-user', 'tom-cruise']));
    const after = (await bucketPolicy(s3, destination))!;
    expect(after.Version).toBe('2008-10-17');
    expect(statement(after, 'HomeFolders')).toEqual(theirs);
  });
});

describe('a setup made by the previous release (its names) is adopted by a re-run (built CLI, moto)', () => {
  it('renames its statements, rule and inline policies, keeps the rule priority and the user parts, and leaves nothing stale', async () => {
    const source = uniqueBucketName('rubes-s3-bucket');
    const destination = uniqueBucketName('clint-s3-bucket');
    const args = setupArgs(source, destination, ['--authorized-user', 'tom-cruise', '--role-name', 's3_replication_role']);
    await wizard(args);
    const s3Source = emu.clients('source').s3;
    const s3Destination = emu.clients('destination').s3;
    const { iam: sourceIam } = emu.clients('source');
    const { iam: companyIam } = emu.clients('destination');
    const fold = (name: string): string =>
      name
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('');
    const legacyRole = `replicate-setup-replication-${source}-to-${destination}`;
    const legacyReader = `replicate-setup-read-${source}-to-${destination}`;

    // Rewrite what the current release wrote into the previous release's names, as it would have left them.
    const toLegacy = async (s3: S3Client, bucket: string, rename: (sid: string) => string): Promise<void> => {
      const policy = (await bucketPolicy(s3, bucket))!;
      const renamed = policy.Statement.map((s) => (s.Sid?.startsWith('ReplicateSetup') ? { ...s, Sid: rename(s.Sid) } : s));
      const user = { Sid: 'TheirOwn', Effect: 'Deny' as const, Principal: '*' as const, Action: 's3:DeleteBucket', Resource: `arn:aws:s3:::${bucket}` };
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ ...policy, Statement: [user, ...renamed] }) }));
    };
    const purpose = (sid: string): string => sid.replace(/^ReplicateSetup/, '').replace(/[0-9a-f]{12}$/, '');
    await toLegacy(s3Source, source, (sid) => `ReplicateSetup${purpose(sid)}To${fold(destination)}`);
    await toLegacy(s3Destination, destination, (sid) => `ReplicateSetup${purpose(sid)}From${fold(source)}`);
    const { ReplicationConfiguration: configuration } = await s3Source.send(new GetBucketReplicationCommand({ Bucket: source }));
    const ruleId = configuration!.Rules![0]!.ID!;
    const legacyRuleId = `replicate-setup:${destination}@${ruleId.split('@')[1]}`;
    const { PutBucketReplicationCommand } = await import('@aws-sdk/client-s3');
    await s3Source.send(
      new PutBucketReplicationCommand({
        Bucket: source,
        ReplicationConfiguration: { ...configuration!, Rules: [{ ...configuration!.Rules![0]!, ID: legacyRuleId, Priority: 3 }] },
      }),
    );
    const rolePolicies = (await sourceIam.send(new ListRolePoliciesCommand({ RoleName: 's3_replication_role' }))).PolicyNames!;
    const { PutRolePolicyCommand, DeleteRolePolicyCommand, PutUserPolicyCommand, DeleteUserPolicyCommand } = await import('@aws-sdk/client-iam');
    const roleDocument = (await sourceIam.send(new GetRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName: rolePolicies[0]! }))).PolicyDocument!;
    await sourceIam.send(
      new PutRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName: legacyRole, PolicyDocument: decodeURIComponent(roleDocument) }),
    );
    await sourceIam.send(new DeleteRolePolicyCommand({ RoleName: 's3_replication_role', PolicyName: rolePolicies[0]! }));
    const readerPolicies = (await companyIam.send(new ListUserPoliciesCommand({ UserName: 'tom-cruise' }))).PolicyNames!;
    const ours = readerPolicies.find((name) => name.includes(source))!;
    const readerDocument = (await companyIam.send(new GetUserPolicyCommand({ UserName: 'tom-cruise', PolicyName: ours }))).PolicyDocument!;
    await companyIam.send(new PutUserPolicyCommand({ UserName: 'tom-cruise', PolicyName: legacyReader, PolicyDocument: decodeURIComponent(readerDocument) }));
    await companyIam.send(new DeleteUserPolicyCommand({ UserName: 'tom-cruise', PolicyName: ours }));

    expect(await pending(args)).toEqual(
      expect.arrayContaining([
        'replication-role-policy: update',
        'reader-policy:tom-cruise: update',
        'source-bucket-policy: update',
        'destination-bucket-policy: update',
      ]),
    );
    await wizard(args);

    const sids = async (s3: S3Client, bucket: string): Promise<string[]> => ((await bucketPolicy(s3, bucket))?.Statement ?? []).map((s) => s.Sid ?? '');
    expect((await sids(s3Source, source)).sort()).toEqual(
      ['TheirOwn', pairSid(source, destination, 'AuthorizedList'), pairSid(source, destination, 'AuthorizedRead')].sort(),
    );
    expect((await sids(s3Destination, destination)).sort()).toEqual(
      ['TheirOwn', pairSid(source, destination, 'Replicas'), pairSid(source, destination, 'Versioning')].sort(),
    );
    const rules = (await s3Source.send(new GetBucketReplicationCommand({ Bucket: source }))).ReplicationConfiguration!.Rules!;
    expect(rules.map((rule) => [rule.ID, rule.Priority])).toEqual([[ruleId, 3]]);
    expect((await sourceIam.send(new ListRolePoliciesCommand({ RoleName: 's3_replication_role' }))).PolicyNames).toEqual(rolePolicies);
    expect((await companyIam.send(new ListUserPoliciesCommand({ UserName: 'tom-cruise' }))).PolicyNames).toEqual(readerPolicies);
    expect(await pending(args)).toEqual([]);
    expect((await verifyExit(args)).failed).toEqual([]);
  });
});
