// Issue 10's "other defects found the same way", through the built CLI against moto (two accounts): each must be
// refused before any write (exit 2, the flag named, nothing created), or converge on a setup that works.

import { GetRoleCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { drop } from './support/bad-input.js';
import { ensureBuilt, mapLimit, type Names, onlyJsonObject, runCli, seedArgs } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { inventory } from './support/inventory.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

const cliEnvironment = (): Record<string, string> => ({ ...emu.env, AWS_ENDPOINT_URL: emu.endpoint });
const names = (tag: string): Names => ({ src: uniqueBucketName(`${tag}-src`), dst: uniqueBucketName(`${tag}-dst`), role: `${tag}-role` });

interface Refusal {
  name: string;
  extra: string[];
  flag: string;
  says: RegExp;
}

const REFUSALS: Refusal[] = [
  {
    name: 'a reader ARN of the aws-cn partition',
    extra: ['--authorized-user', 'arn:aws-cn:iam::222222222222:user/tom-cruise'],
    flag: '--authorized-user',
    says: /"aws-cn" partition: replicate-setup works in the standard "aws" partition only/,
  },
  {
    name: 'an uploader ARN of the aws-us-gov partition',
    extra: ['--prefix', 'incidents/', '--uploader', 'arn:aws-us-gov:iam::111111111111:user/alice'],
    flag: '--uploader',
    says: /"aws-us-gov" partition/,
  },
  {
    name: 'a destination KMS key ARN of the aws-cn partition',
    extra: ['--encryption', 'sse-kms', '--dest-kms-key', 'arn:aws-cn:kms:ap-southeast-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    flag: '--dest-kms-key',
    says: /"aws-cn" partition/,
  },
  {
    name: 'a role name with a path',
    extra: ['--role-name', 'service-role/x'],
    flag: '--role-name',
    says: /role paths \(such as service-role\/NAME\) are not supported/,
  },
  { name: 'a prefix with *', extra: ['--prefix', 'logs/*'], flag: '--prefix', says: /must not contain \* or \?: a replication filter is a literal key prefix/ },
  { name: 'a prefix with ?', extra: ['--prefix', 'logs/20??/'], flag: '--prefix', says: /must not contain \* or \?/ },
];

describe('issue 10 input defects: exit 2 naming the flag and why, nothing written', () => {
  it.each([false, true])(
    'partitions, role paths and wildcard prefixes are refused (--json: %s)',
    async (json) => {
      const before = await inventory(emu);
      const results = await mapLimit(REFUSALS, 3, (c) => {
        // A flag the case gives replaces the seed's (a one-value flag given twice is refused on its own account).
        const seed = c.extra.filter((arg) => arg.startsWith('--')).reduce(drop, seedArgs(names(`refuse${json ? 'j' : 'h'}`)));
        const args = [...seed, ...c.extra];
        return runCli(['wizard', ...(json ? ['--json'] : []), '--yes', ...args], cliEnvironment());
      });
      for (const [i, c] of REFUSALS.entries()) {
        const result = results[i]!;
        expect.soft(result.code, `${c.name}: ${result.stderr}${result.stdout}`).toBe(2);
        const problems = json ? ((onlyJsonObject(result.stdout).error as { problems?: { flag: string; message: string }[] }).problems ?? []) : [];
        const told = json ? problems.map((p) => `${p.flag}: ${p.message}`).join('\n') : result.stderr;
        expect.soft(told, c.name).toContain(c.flag);
        expect.soft(told, c.name).toMatch(c.says);
      }
      expect(await inventory(emu)).toEqual(before);
    },
    120_000,
  );
});

async function versionedSourceBucket(bucket: string): Promise<void> {
  const { s3 } = emu.clients('source');
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}

const userRule = (i: number) => ({
  ID: `user-rule-${i}`,
  Priority: i + 1,
  Status: 'Enabled' as const,
  Filter: { Prefix: `user-${i}/` },
  DeleteMarkerReplication: { Status: 'Disabled' as const },
  Destination: { Bucket: 'arn:aws:s3:::someone-elses-copy' },
});

describe("S3's limit of 1,000 replication rules, through the CLI", () => {
  it('refuses a setup whose rule would be the 1,001st with exit 2 naming the limit, writing nothing', async () => {
    const n = names('limit');
    await versionedSourceBucket(n.src);
    const { s3 } = emu.clients('source');
    const Rules = Array.from({ length: 1_000 }, (_, i) => userRule(i));
    await s3.send(new PutBucketReplicationCommand({ Bucket: n.src, ReplicationConfiguration: { Role: 'arn:aws:iam::111111111111:role/theirs', Rules } }));
    const before = await inventory(emu);

    const result = await runCli(['wizard', '--json', '--yes', ...seedArgs(n)], cliEnvironment());

    expect(result.code, result.stderr).toBe(2);
    const error = onlyJsonObject(result.stdout).error as { code: string; message: string };
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/above S3's limit of 1,000 rules per replication configuration/);
    expect(await inventory(emu)).toEqual(before);
    const after = await s3.send(new GetBucketReplicationCommand({ Bucket: n.src }));
    expect(after.ReplicationConfiguration?.Rules).toHaveLength(1_000);
  }, 120_000);
});

describe('an existing replication configuration naming a role that no longer exists', () => {
  it('verify fails while the role is missing; wizard says so and converges on the --role-name role', async () => {
    // --role-name gone-role: the same name as the missing role, at the root path instead of service-role/.
    const n = names('gone');
    await versionedSourceBucket(n.src);
    const { s3, iam } = emu.clients('source');
    const gone = 'arn:aws:iam::111111111111:role/service-role/gone-role';
    // A rule an earlier run of the tool wrote (its ID), under a role deleted since.
    const earlier = { ...userRule(0), ID: `replicate-setup:${n.dst}`, Destination: { Bucket: `arn:aws:s3:::${n.dst}` } };
    await s3.send(new PutBucketReplicationCommand({ Bucket: n.src, ReplicationConfiguration: { Role: gone, Rules: [earlier] } }));

    const before = await runCli(['verify', '--json', ...seedArgs(n)], cliEnvironment());
    expect(before.code, before.stderr).toBe(1);
    const checks = onlyJsonObject(before.stdout).checks as { id: string; status: string; message: string }[];
    expect(checks.find((c) => c.id === 'replication.configuration')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(`${gone}, which does not exist`),
    });

    const run = await runCli(['wizard', '--json', '--yes', ...seedArgs(n)], cliEnvironment());
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const report = onlyJsonObject(run.stdout);
    expect((report.notes as string[]).join('\n')).toMatch(/names role arn:aws:iam::111111111111:role\/service-role\/gone-role, which does not exist/);
    const ours = `arn:aws:iam::111111111111:role/${n.role}`;
    expect((await iam.send(new GetRoleCommand({ RoleName: n.role }))).Role?.Arn).toBe(ours);
    expect((await s3.send(new GetBucketReplicationCommand({ Bucket: n.src }))).ReplicationConfiguration?.Role).toBe(ours);
    const destinationPolicy = (await emu.clients('destination').s3.send(new GetBucketPolicyCommand({ Bucket: n.dst }))).Policy ?? '';
    expect(destinationPolicy).toContain(ours);
    expect(destinationPolicy).not.toContain('service-role');
  }, 120_000);
});
