// The catalogue of AWS operations is the only way the tool reaches AWS: nothing in src/ sends a command itself, every
// kind names catalogued operations, and every command a whole setup sends against the emulator is in the catalogue
// (the recorder in support/record.ts refuses any other, in every emulator suite). The kinds' delete executors run
// against moto too: teardown builds on them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CreateUserCommand, GetRoleCommand, GetUserPolicyCommand } from '@aws-sdk/client-iam';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OPERATIONS } from '../src/aws/catalogue.js';
import { executeChange } from '../src/engine/executors.js';
import { ALL_KINDS, kindOf } from '../src/kinds/registry.js';
import type { Change } from '../src/plan/changes.js';
import { runVerification } from '../src/verify/index.js';
import { ROOT } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { apply, crossAccount, prepare } from './support/scenario.js';

const emu = useEmulator();
afterEach(() => vi.unstubAllEnvs());

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the catalogue of AWS operations', () => {
  it('is the only way src/ reaches AWS: no file but aws/send.ts sends a command, none uses an SDK paginator', () => {
    // The emulator's own account setup is test and demo infrastructure, not the tool, and is not shipped.
    const files = sourceFiles(join(ROOT, 'src')).filter((path) => !path.includes(`${join('src', 'emulator')}`));
    const offenders = files.flatMap((path) => {
      const text = readFileSync(path, 'utf8');
      const rel = relative(ROOT, path);
      const sends = rel === join('src', 'aws', 'send.ts') ? [] : [...text.matchAll(/\.send\(/g)].map(() => `${rel}: .send(`);
      const commands = rel === join('src', 'aws', 'catalogue.ts') ? [] : [...text.matchAll(/new \w+Command\(|paginate[A-Z]\w+/g)].map((m) => `${rel}: ${m[0]}`);
      return [...sends, ...commands];
    });
    expect(offenders).toEqual([]);
  });

  it('names, for every operation, its IAM actions and the resource they are granted on', () => {
    for (const operation of OPERATIONS.values()) {
      expect(operation.id).toBe(`${operation.service}:${operation.name}`);
      if (operation.id !== 'sts:GetCallerIdentity') expect(operation.grants.length, operation.id).toBeGreaterThan(0);
      for (const grant of operation.grants) {
        expect(grant.action, operation.id).toMatch(/^(s3|iam|kms|sts|sns|cloudwatch):[A-Z]\w+$/);
        expect(grant.resource === '*' || /^(arn:aws:|\{)/.test(grant.resource), `${operation.id} ${grant.resource}`).toBe(true);
      }
    }
  });

  it('holds every operation a kind reads', () => {
    for (const kind of ALL_KINDS) {
      expect(kind.reads.length, kind.kind).toBeGreaterThan(0);
      for (const operation of kind.reads) expect(OPERATIONS.get(operation.id), `${kind.kind} reads ${operation.id}`).toBe(operation);
    }
  });
});

describe('every command a whole setup sends is catalogued (emulator)', () => {
  it('wizard, a re-run and verify of an SSE-KMS setup with readers and uploaders send only catalogued commands', async () => {
    const raw = crossAccount(uniqueBucketName('rubes-s3-bucket'), uniqueBucketName('clint-s3-bucket'), {
      authorizedUser: ['tom-cruise'],
      uploader: ['incident-bot'],
      encryption: 'sse-kms',
    });
    await emu.clients('source').iam.send(new CreateUserCommand({ UserName: 'incident-bot' }));
    const first = await apply(emu, raw);
    const second = await prepare(emu, raw);
    const report = await runVerification(second.prepared.input, second.clients, { expectDenied: [], probes: [] }, () => undefined);
    const sent = new Set([...first.calls, ...second.calls].map((call) => `${call.service}:${call.command}`));
    expect([...sent].filter((id) => !OPERATIONS.has(id))).toEqual([]);
    // The recorder saw the whole run: the writes of every kind, the reads of preflight and verify.
    for (const id of ['s3:PutBucketReplication', 'kms:CreateKey', 'iam:PutUserPolicy', 'iam:ListAttachedRolePolicies', 'sts:GetCallerIdentity'])
      expect(sent.has(id), id).toBe(true);
    expect(report.checks.length).toBeGreaterThan(20);
    // Whatever action a planned change of any kind could take, its writes are catalogued operations.
    for (const change of first.prepared.plan.changes) {
      for (const action of ['create', 'update', 'delete'] as const) {
        for (const operation of kindOf(change).writes({ ...change, action })) expect(OPERATIONS.get(operation.id), `${change.kind} ${action}`).toBe(operation);
      }
    }
  });
});

describe("each kind's delete executor (emulator): what teardown builds on", () => {
  it('removes what a setup made, kind by kind, in the reverse of the plan', async () => {
    const raw = crossAccount(uniqueBucketName('rubes-s3-bucket'), uniqueBucketName('clint-s3-bucket'), { authorizedUser: ['tom-cruise'] });
    const made = await apply(emu, raw);
    const changes = made.prepared.plan.changes;
    const deletes = [...changes].reverse().map(
      (change): Change =>
        ({
          ...change,
          action: 'delete',
          ...(change.kind === 'bucket-policy' ? { document: undefined } : {}),
        }) as Change,
    );
    for (const change of deletes) await executeChange(change, made.clients);

    const source = emu.clients('source');
    const destination = emu.clients('destination');
    const bucketGone = async (client: typeof source, bucket: string): Promise<number | undefined> =>
      client.s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
        () => 200,
        (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
      );
    expect(await bucketGone(source, raw.sourceBucket!)).toBe(404);
    expect(await bucketGone(destination, raw.destBucket!)).toBe(404);
    await expect(source.iam.send(new GetRoleCommand({ RoleName: 's3_replication_role' }))).rejects.toMatchObject({
      name: expect.stringMatching(/^NoSuchEntity/),
    });
    const readerPolicy = changes.find((change) => change.kind === 'reader-policy');
    await expect(
      destination.iam.send(
        new GetUserPolicyCommand({ UserName: 'tom-cruise', PolicyName: readerPolicy!.kind === 'reader-policy' ? readerPolicy!.policyName : '' }),
      ),
    ).rejects.toMatchObject({ name: expect.stringMatching(/^NoSuchEntity/) });
    // A second pass finds everything already gone: each delete is idempotent.
    for (const change of deletes.filter(
      (c) =>
        c.kind !== 'versioning' &&
        c.kind !== 'public-access-block' &&
        c.kind !== 'encryption' &&
        c.kind !== 'ownership' &&
        c.kind !== 'bucket-policy' &&
        c.kind !== 'replication',
    )) {
      await executeChange(change, made.clients);
    }
  });
});
