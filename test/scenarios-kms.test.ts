// Scenario 1 of the walkthrough: encrypted replicas that the authorised users can still open (SSE-KMS), against moto
// with two accounts. moto stores key policies and bucket encryption faithfully but enforces no KMS grant, so what is
// proven here is the documents (as sent and as read back), never that a read would be allowed at run time.

import { CreateAliasCommand, CreateKeyCommand, GetKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetBucketEncryptionCommand, PutBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { Chalk } from 'chalk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApplyFailedError } from '../src/engine/apply.js';
import { applySetup } from '../src/engine/setup.js';
import { parsePolicy } from '../src/plan/compare.js';
import { defaultKeyAlias } from '../src/plan/key-policies.js';
import { KNOWN_AFTER_APPLY } from '../src/plan/pending.js';
import type { PolicyDocument } from '../src/plan/policy-types.js';
import { renderPlan } from '../src/report/plan-view.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { pairSid } from './support/fixtures.js';
import { apply, bySid, crossAccount, pendingOnRerun, prepare, refused, sent, sentPolicy, sentRules } from './support/scenario.js';

const emu = useEmulator();
afterEach(() => vi.unstubAllEnvs());

const ROLE_ARN = 'arn:aws:iam::111111111111:role/s3_replication_role';
const TOM = 'arn:aws:iam::222222222222:user/tom-cruise';

const buckets = () => ({ source: uniqueBucketName('rubes'), destination: uniqueBucketName('clint') });

async function keyPolicy(kms: KMSClient, keyId: string): Promise<PolicyDocument> {
  return parsePolicy((await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy)!;
}

const ROOT_STATEMENT = (account: string) => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});

describe('sse-kms without keys given', () => {
  it('plans the new keys as "(known after apply)", then creates a key per account and sends every document with the real ARNs (documents only: moto enforces no KMS grant)', async () => {
    const b = buckets();
    const raw = crossAccount(b.source, b.destination, { encryption: 'sse-kms', authorizedUser: ['tom-cruise'] });

    const planned = await prepare(emu, raw);
    const keySteps = planned.prepared.plan.changes.filter((c) => c.kind === 'kms-key');
    expect(keySteps.map((c) => [c.id, c.action])).toEqual([
      ['source-kms-key', 'create'],
      ['destination-kms-key', 'create'],
    ]);
    const text = renderPlan(planned.prepared.plan, planned.prepared.input, planned.prepared.accounts, new Chalk({ level: 0 }));
    expect(text).toContain(`KMS key ${defaultKeyAlias(b.source)} for ${b.source}, ARN (known after apply)`);
    expect(text).toContain('Least-privilege replication policy on s3_replication_role (key ARN known after apply)');
    expect(text).toContain('tom-cruise can open them: each key policy and their identity policy allow kms:Decrypt through S3');
    expect(planned.calls.filter((c) => /^(Create|Put)/.test(c.command))).toEqual([]);

    const run = await apply(emu, raw);
    expect(run.steps.filter((s) => s.status !== 'done' && s.status !== 'unchanged')).toEqual([]);
    // Finished steps name what apply found out: no step that is done still says "(known after apply)".
    expect(run.steps.filter((s) => s.status === 'done' && s.title.includes('known after apply'))).toEqual([]);
    expect(run.steps.find((s) => s.id === 'source-kms-key')!.title).toMatch(/, ARN arn:aws:kms:ap-southeast-1:111111111111:key\//);
    expect(JSON.stringify(run.writes)).not.toContain(KNOWN_AFTER_APPLY);

    const aliases = sent(run.calls, 'CreateAlias').map((i) => i.AliasName);
    expect(aliases.sort()).toEqual([defaultKeyAlias(b.destination), defaultKeyAlias(b.source)].sort());
    const sourceKey = run.steps.find((s) => s.id === 'source-kms-key-policy')!.resource;
    const destKey = run.steps.find((s) => s.id === 'destination-kms-key-policy')!.resource;
    expect(sourceKey).toMatch(/^arn:aws:kms:ap-southeast-1:111111111111:key\//);
    expect(destKey).toMatch(/^arn:aws:kms:ap-southeast-2:222222222222:key\//);

    // Both buckets default to their own key with S3 Bucket Key on (moto reads this back faithfully).
    for (const [side, bucket, key] of [
      ['source', b.source, sourceKey],
      ['destination', b.destination, destKey],
    ] as const) {
      const { ServerSideEncryptionConfiguration } = await emu.clients(side).s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
      expect(ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key },
        BucketKeyEnabled: true,
      });
    }

    // The rule replicates KMS-encrypted objects and encrypts replicas with the destination key.
    const [rule] = sentRules(run.calls);
    expect(rule?.SourceSelectionCriteria).toEqual({ SseKmsEncryptedObjects: { Status: 'Enabled' } });
    expect(rule?.Destination.EncryptionConfiguration).toEqual({ ReplicaKmsKeyID: destKey });

    // The role: decrypt the source key, encrypt with the destination key, both only through S3 for these buckets.
    const role = bySid(sentPolicy(run.calls, 'PutRolePolicy', 'source', 'PolicyDocument'));
    expect(role.DecryptSourceObjects).toEqual({
      Sid: 'DecryptSourceObjects',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: sourceKey,
      Condition: {
        StringLike: {
          'kms:ViaService': 's3.ap-southeast-1.amazonaws.com',
          'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${b.source}`, `arn:aws:s3:::${b.source}/*`],
        },
      },
    });
    expect(role.EncryptReplicas).toMatchObject({
      Action: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: destKey,
      Condition: {
        StringLike: {
          'kms:ViaService': 's3.ap-southeast-2.amazonaws.com',
          'kms:EncryptionContext:aws:s3:arn': [`arn:aws:s3:::${b.destination}`, `arn:aws:s3:::${b.destination}/*`],
        },
      },
    });

    // The authorised user may decrypt both keys, through S3 only.
    const reader = bySid(sentPolicy(run.calls, 'PutUserPolicy', 'destination', 'PolicyDocument'));
    expect(reader.DecryptReplicatedObjects).toMatchObject({ Action: ['kms:Decrypt'], Resource: [sourceKey, destKey] });

    // Key policies as moto stores them: the account root statement kept, ours added.
    const destPolicy = bySid(await keyPolicy(emu.clients('destination').kms, destKey));
    expect(destPolicy['Enable IAM User Permissions']).toEqual(ROOT_STATEMENT('222222222222'));
    const encrypt = Object.values(destPolicy).find((s) => s.Sid?.startsWith('ReplicateSetupReplicaEncrypt'));
    expect(encrypt).toMatchObject({ Principal: { AWS: ROLE_ARN }, Action: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'] });
    const replicaReaders = Object.values(destPolicy).find((s) => s.Sid?.startsWith('ReplicateSetupReplicaReaderDecrypt'));
    expect(replicaReaders).toMatchObject({ Principal: { AWS: [TOM] }, Action: 'kms:Decrypt' });
    const sourcePolicy = bySid(await keyPolicy(emu.clients('source').kms, sourceKey));
    expect(sourcePolicy['Enable IAM User Permissions']).toEqual(ROOT_STATEMENT('111111111111'));
    expect(Object.values(sourcePolicy).find((s) => s.Sid?.startsWith('ReplicateSetupSourceReaderDecrypt'))).toMatchObject({
      Principal: { AWS: [TOM] },
      Action: 'kms:Decrypt',
    });
    expect(Object.values(sourcePolicy).find((s) => s.Sid?.startsWith('ReplicateSetupReplicationDecrypt'))).toMatchObject({ Principal: { AWS: ROLE_ARN } });
  });

  it('finds its keys again by alias on a re-run: nothing left to change, no second key', async () => {
    const b = buckets();
    const raw = crossAccount(b.source, b.destination, { encryption: 'sse-kms', authorizedUser: ['tom-cruise'] });
    await apply(emu, raw);

    expect(await pendingOnRerun(emu, raw)).toEqual([]);
    const again = await apply(emu, raw);
    expect(sent(again.calls, 'CreateKey')).toEqual([]);
    expect(again.writes).toEqual([]);
    const keyStep = again.steps.find((s) => s.id === 'source-kms-key');
    expect(keyStep).toMatchObject({ status: 'unchanged', note: 'made by replicate-setup' });
  });
});

describe('a key that cannot be created', () => {
  it('stops only what waits for the keys: the rest is done, key-dependent steps are not run, and the same command finishes the job', async () => {
    const b = buckets();
    const raw = crossAccount(b.source, b.destination, { encryption: 'sse-kms' });
    const run = await prepare(emu, raw);
    // The company profile may not create keys (moto allows everything, so the refusal is injected).
    const denied = Object.assign(new Error('User is not authorized to perform: kms:CreateKey'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    (run.clients.destination.kms.middlewareStack as unknown as { add(m: unknown, o: object): void }).add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) =>
        context.commandName === 'CreateKeyCommand' ? Promise.reject(denied) : next(args),
      { step: 'initialize', name: 'deny-create-key' },
    );

    const error = await applySetup(run.prepared, run.clients, () => undefined).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ApplyFailedError);
    const status = Object.fromEntries((error as ApplyFailedError).steps.map((step) => [step.id, step.status]));
    expect(status).toMatchObject({
      'destination-kms-key': 'failed',
      'source-kms-key': 'done',
      'source-bucket': 'done',
      'replication-role': 'done',
      'destination-versioning': 'done',
      'source-encryption': 'not-run',
      'replication-role-policy': 'not-run',
      'replication-configuration': 'not-run',
    });
    expect((error as ApplyFailedError).message).toContain('kms:CreateKey');
    expect(JSON.stringify(run.calls.filter((c) => /^(Put|Create)/.test(c.command)))).not.toContain(KNOWN_AFTER_APPLY);

    const rerun = await apply(emu, raw);
    expect(sent(rerun.calls, 'CreateKey', 'source')).toEqual([]);
    expect(sent(rerun.calls, 'CreateKey', 'destination')).toHaveLength(1);
    expect(await pendingOnRerun(emu, raw)).toEqual([]);
  });
});

describe('sse-kms with keys given', () => {
  it("merges into the policies of the keys given (by alias and by ARN): the root statement and the owner's own statement survive", async () => {
    const b = buckets();
    const companyKms = emu.clients('destination').kms;
    const partnerKms = emu.clients('source').kms;
    const audit = {
      Sid: 'AuditorsMayDescribe',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: 'kms:DescribeKey',
      Resource: '*',
    };
    const { KeyMetadata: companyKey } = await companyKms.send(
      new CreateKeyCommand({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [ROOT_STATEMENT('222222222222'), audit] }) }),
    );
    await companyKms.send(new CreateAliasCommand({ AliasName: 'alias/company-replicas', TargetKeyId: companyKey!.KeyId! }));
    const { KeyMetadata: partnerKey } = await partnerKms.send(new CreateKeyCommand({}));
    const raw = crossAccount(b.source, b.destination, {
      encryption: 'sse-kms',
      sourceKmsKey: partnerKey!.Arn!,
      destKmsKey: 'alias/company-replicas',
      authorizedUser: ['tom-cruise'],
    });

    const run = await apply(emu, raw);

    expect(sent(run.calls, 'CreateKey')).toEqual([]);
    const sentDest = sentPolicy(run.calls, 'PutKeyPolicy', 'destination');
    expect(sent(run.calls, 'PutKeyPolicy', 'destination')[0]!.KeyId).toBe(companyKey!.Arn);
    const stored = await keyPolicy(companyKms, companyKey!.KeyId!);
    expect(stored).toEqual(sentDest);
    expect(stored.Statement.slice(0, 2)).toEqual([ROOT_STATEMENT('222222222222'), audit]);
    expect(stored.Statement.slice(2).map((s) => s.Sid)).toEqual([
      pairSid(b.source, b.destination, 'ReplicaEncrypt'),
      pairSid(b.source, b.destination, 'ReplicaReaderDecrypt'),
    ]);
    expect(sentRules(run.calls)[0]?.Destination.EncryptionConfiguration).toEqual({ ReplicaKmsKeyID: companyKey!.Arn });

    // A second run changes nothing.
    expect(await pendingOnRerun(emu, raw)).toEqual([]);
  });

  it('refuses the AWS managed aws/s3 key for the destination of a cross-account setup, with the reason, before any write (exit 2)', async () => {
    const b = buckets();
    const { error, writes } = await refused(emu, crossAccount(b.source, b.destination, { encryption: 'sse-kms', destKmsKey: 'alias/aws/s3' }));

    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('KMS_KEY_INVALID');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.flag).toBe('--dest-kms-key');
    expect(error.problems[0]!.message).toMatch(/AWS managed key aws\/s3: AWS managed keys cannot be used by another account/);
    expect(writes).toEqual([]);
  });

  it('refuses aws/s3 for the source too when authorised users of the other account must decrypt it', async () => {
    const b = buckets();
    const { error } = await refused(
      emu,
      crossAccount(b.source, b.destination, { encryption: 'sse-kms', sourceKmsKey: 'alias/aws/s3', authorizedUser: ['tom-cruise'] }),
    );
    expect(error.problems.map((p) => p.flag)).toEqual(['--source-kms-key']);
    expect(error.problems[0]!.message).toContain('could not decrypt what they read');
  });

  it('refuses keys that do not exist, in another region, or of another account, each naming its flag (exit 2)', async () => {
    const b = buckets();
    const { error, writes } = await refused(
      emu,
      crossAccount(b.source, b.destination, {
        encryption: 'sse-kms',
        sourceKmsKey: 'alias/no-such-key',
        destKmsKey: 'arn:aws:kms:ap-southeast-2:333333333333:key/11111111-2222-3333-4444-555555555555',
      }),
    );
    expect(error.exitCode).toBe(2);
    expect(error.problems.map((p) => p.flag).sort()).toEqual(['--dest-kms-key', '--source-kms-key']);
    expect(error.problems.find((p) => p.flag === '--source-kms-key')!.message).toContain('no KMS key "alias/no-such-key" in account 111111111111');
    expect(error.problems.find((p) => p.flag === '--dest-kms-key')!.message).toContain('belongs to account 333333333333');
    expect(writes).toEqual([]);

    const wrongRegion = await refused(
      emu,
      crossAccount(b.source, b.destination, { encryption: 'sse-kms', sourceKmsKey: 'arn:aws:kms:us-east-1:111111111111:alias/x' }),
    );
    expect(wrongRegion.error.problems[0]!.message).toContain("S3 needs the key in the bucket's region ap-southeast-1");
  });
});

describe('default encryption of buckets that already exist', () => {
  it('updates an SSE-S3 default to SSE-KMS with sse-kms', async () => {
    const b = buckets();
    const { s3 } = emu.clients('source');
    await s3.send(new CreateBucketCommand({ Bucket: b.source, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: b.source,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      }),
    );

    const run = await apply(emu, crossAccount(b.source, b.destination, { encryption: 'sse-kms' }));

    expect(run.steps.find((s) => s.id === 'source-encryption')).toMatchObject({ action: 'update', status: 'done', note: 'was AES256' });
    const [sentRule] = sent(run.calls, 'PutBucketEncryption', 'source').map((i) => (i.ServerSideEncryptionConfiguration as { Rules: unknown[] }).Rules[0]);
    expect(sentRule).toMatchObject({ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true });
  });

  it("keeps a bucket's own customer-managed default key with sse-kms instead of creating one", async () => {
    const b = buckets();
    const { s3, kms } = emu.clients('source');
    const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({}));
    await s3.send(new CreateBucketCommand({ Bucket: b.source, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: b.source,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key!.Arn! }, BucketKeyEnabled: true }],
        },
      }),
    );

    const run = await apply(emu, crossAccount(b.source, b.destination, { encryption: 'sse-kms' }));

    expect(sent(run.calls, 'CreateKey', 'source')).toEqual([]);
    expect(run.steps.find((s) => s.id === 'source-kms-key')).toMatchObject({ status: 'unchanged', note: 'already the bucket default key, kept' });
    expect(run.steps.find((s) => s.id === 'source-encryption')).toMatchObject({ action: 'no-op' });
    expect(sent(run.calls, 'PutKeyPolicy', 'source')[0]!.KeyId).toBe(key!.Arn);
  });

  it('keeps any existing default encryption with sse-s3 (an SSE-KMS default is not downgraded)', async () => {
    const b = buckets();
    const { s3, kms } = emu.clients('source');
    const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({}));
    await s3.send(new CreateBucketCommand({ Bucket: b.source, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: b.source,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key!.Arn! } }] },
      }),
    );

    const run = await apply(emu, crossAccount(b.source, b.destination));

    expect(sent(run.calls, 'PutBucketEncryption', 'source')).toEqual([]);
    expect(sent(run.calls, 'PutBucketEncryption', 'destination')).toHaveLength(1);
    expect(run.steps.find((s) => s.id === 'source-encryption')).toMatchObject({ action: 'no-op', note: 'already aws:kms' });
  });
});

describe('sse-kms inside one account', () => {
  it('accepts aws/s3 on both sides in one account and region, changes no key policy, and says why', async () => {
    const b = buckets();
    const raw = {
      sourceProfile: 'xyz',
      sourceBucket: b.source,
      destProfile: 'xyz',
      destBucket: b.destination,
      roleName: 's3_replication_role',
      encryption: 'sse-kms',
      sourceKmsKey: 'alias/aws/s3',
      destKmsKey: 'alias/aws/s3',
    };

    const run = await apply(emu, raw);

    expect(run.steps.filter((s) => s.status === 'failed' || s.status === 'not-run')).toEqual([]);
    expect(sent(run.calls, 'PutKeyPolicy')).toEqual([]);
    expect(sent(run.calls, 'CreateKey')).toEqual([]);
    expect(run.prepared.plan.notes.join('\n')).toContain('alias/aws/s3 is an AWS managed key: its policy cannot be changed');
    expect(run.prepared.plan.notes.join('\n')).toContain('same-region replication');
    expect(sentRules(run.calls)[0]?.Destination).not.toHaveProperty('Account');
    expect(await pendingOnRerun(emu, raw)).toEqual([]);
  });
});
