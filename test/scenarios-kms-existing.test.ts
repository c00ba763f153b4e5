// SSE-KMS with keys given, existing default encryption, and keys inside one account, against moto.
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketEncryptionCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useEmulator } from './support/emulator.js';
import { pairSid } from './support/fixtures.js';
import { buckets, keyPolicy, ROOT_STATEMENT } from './support/kms.js';
import { apply, crossAccount, pendingOnRerun, refused, sent, sentPolicy, sentRules } from './support/scenario.js';

const emu = useEmulator();
afterEach(() => vi.unstubAllEnvs());

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
