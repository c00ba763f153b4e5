// Tests of the emulator harness, and a record of what moto 5.2.5 really does where the engine
// depends on it. Found (and asserted below):
// - Accounts: requests act as the account owning the access key; keys of IAM user `admin`
//   made inside each account act as 111111111111 / 222222222222. AssumeRole does not need the
//   role to exist. The written profiles work through fromIni and the SDK's region loading.
// - The SDK caches shared ini files by path for the process's life: new keys must go to a new
//   path (useEmulator writes each test's profiles to a new subdir).
// - moto enforces no permissions across accounts: the company can HeadBucket (200, with
//   x-amz-bucket-region) and GetBucketLocation on the partner's bucket. Bucket names are
//   global: the company's CreateBucket on it gives BucketAlreadyExists (409); the partner's
//   own repeat gives BucketAlreadyOwnedByYou (409). HeadBucket on a missing bucket: NotFound (404).
// - CreateBucket with a LocationConstraint other than the client's region:
//   IllegalLocationConstraintException (400).
// - Missing bucket settings (all 404): NoSuchPublicAccessBlockConfiguration,
//   ServerSideEncryptionConfigurationNotFoundError, OwnershipControlsNotFoundError,
//   NoSuchBucketPolicy, ReplicationConfigurationNotFoundError. GetBucketVersioning of a
//   never-versioned bucket: 200 with no Status.
// - A bucket policy naming another account's role (which need not exist) is accepted and
//   returned verbatim.
// - PutBucketReplication without versioning: InvalidRequest (400). With versioning it accepts
//   the full cross-account rule, but GetBucketReplication echoes only Role, ID, Priority,
//   Status and Destination (verbatim); it always reports Filter {Prefix: ''} and
//   DeleteMarkerReplication Disabled, and drops SourceSelectionCriteria.
// - moto never replicates objects: nothing arrives in the destination and the source object
//   has no ReplicationStatus.
// - IAM GetRole of a missing role: NoSuchEntityException (404).
// - KMS CreateKey/GetKeyPolicy/PutKeyPolicy/CreateAlias work per account; a key's default
//   policy allows arn:aws:iam::ACCOUNT:root kms:*; DescribeKey of an unknown alias gives
//   NotFoundException (400 in moto); aliases are per account and region.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  PutBucketPolicyCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type ReplicationConfiguration,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateRoleCommand, GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it, vi, afterEach } from 'vitest';
import { uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();

/** The error a promise rejects with, as name + HTTP status. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

async function createBucket(s3: S3Client, region: string, base: string): Promise<string> {
  const Bucket = uniqueBucketName(base);
  await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: region as 'ap-southeast-1' } }));
  return Bucket;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('accounts and profiles', () => {
  it('gives each profile its own account, read from the written files as a real tool would', async () => {
    const { configFile, credentialsFile } = emu.setup.files;
    for (const side of ['source', 'destination'] as const) {
      const credentials = fromIni({ profile: emu.profiles[side], filepath: credentialsFile, configFilepath: configFile });
      const sts = new STSClient({ region: emu.regions[side], endpoint: emu.endpoint, credentials });
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe(emu.accounts[side]);
      expect(identity.Arn).toBe(`arn:aws:iam::${emu.accounts[side]}:user/admin`);
    }
    expect(emu.accounts).toEqual({ source: '111111111111', destination: '222222222222' });
  });

  it('works through AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, region included, after a reset', async () => {
    for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
    const sts = new STSClient({ profile: 'xyz', endpoint: emu.endpoint, credentials: fromIni({ profile: 'xyz' }) });
    expect(await sts.config.region()).toBe('ap-southeast-1');
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('111111111111');
    const company = new STSClient({ profile: 'abcd', endpoint: emu.endpoint, credentials: fromIni({ profile: 'abcd' }) });
    expect(await company.config.region()).toBe('ap-southeast-2');
    expect((await company.send(new GetCallerIdentityCommand({}))).Account).toBe('222222222222');
  });

  it('creates the company users in the company account only', async () => {
    const { User } = await emu.clients('destination').iam.send(new GetUserCommand({ UserName: 'tom-cruise' }));
    expect(User?.Arn).toBe('arn:aws:iam::222222222222:user/tom-cruise');
    await emu.clients('destination').iam.send(new GetUserCommand({ UserName: 'clint-eastwood' }));
    expect(await failure(emu.clients('source').iam.send(new GetUserCommand({ UserName: 'tom-cruise' })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
    });
  });

  it('makes valid unique bucket names', () => {
    const a = uniqueBucketName('Partner_Data.Bucket');
    expect(a).toMatch(/^partner-data-bucket-[0-9a-f]{8}$/);
    expect(uniqueBucketName('Partner_Data.Bucket')).not.toBe(a);
    const long = uniqueBucketName('x'.repeat(80) + '-');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });
});

describe('buckets across the two accounts', () => {
  it('keeps the region and the owner of a bucket', async () => {
    const { s3 } = emu.clients('source');
    const bucket = await createBucket(s3, 'ap-southeast-1', 'partner-data');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint).toBe('ap-southeast-1');
    const partnerList = await s3.send(new ListBucketsCommand({}));
    expect(partnerList.Buckets?.map((b) => b.Name)).toContain(bucket);
    const companyList = await emu.clients('destination').s3.send(new ListBucketsCommand({}));
    expect(companyList.Buckets?.map((b) => b.Name) ?? []).not.toContain(bucket);
  });

  it("lets the company see the partner's bucket but not create it", async () => {
    const partner = emu.clients('source').s3;
    const company = emu.clients('destination').s3;
    const bucket = await createBucket(partner, 'ap-southeast-1', 'partner-data');

    // No cross-account permission checks in moto: HeadBucket succeeds and tells the region.
    const head = await company.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    expect(head.BucketRegion).toBe('ap-southeast-1');
    expect((await company.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint).toBe('ap-southeast-1');

    expect(await failure(company.send(
      new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }),
    ))).toEqual({ name: 'BucketAlreadyExists', status: 409 });
    expect(await failure(partner.send(
      new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }),
    ))).toEqual({ name: 'BucketAlreadyOwnedByYou', status: 409 });
    expect(await failure(company.send(new HeadBucketCommand({ Bucket: uniqueBucketName('missing') })))).toEqual({
      name: 'NotFound',
      status: 404,
    });
    // The company's client is in Sydney: a Singapore LocationConstraint is refused.
    expect(await failure(createBucket(company, 'ap-southeast-1', 'wrong-region'))).toEqual({
      name: 'IllegalLocationConstraintException',
      status: 400,
    });
  });

  it('reports a missing setting with the same errors as S3', async () => {
    const { s3 } = emu.clients('source');
    const Bucket = await createBucket(s3, 'ap-southeast-1', 'bare');
    expect(await failure(s3.send(new GetPublicAccessBlockCommand({ Bucket })))).toEqual({ name: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
    expect(await failure(s3.send(new GetBucketEncryptionCommand({ Bucket })))).toEqual({ name: 'ServerSideEncryptionConfigurationNotFoundError', status: 404 });
    expect(await failure(s3.send(new GetBucketOwnershipControlsCommand({ Bucket })))).toEqual({ name: 'OwnershipControlsNotFoundError', status: 404 });
    expect(await failure(s3.send(new GetBucketPolicyCommand({ Bucket })))).toEqual({ name: 'NoSuchBucketPolicy', status: 404 });
    expect(await failure(s3.send(new GetBucketReplicationCommand({ Bucket })))).toEqual({ name: 'ReplicationConfigurationNotFoundError', status: 404 });
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket }));
    expect(versioning.Status).toBeUndefined();
  });

  it("accepts a bucket policy naming a role of the partner's account", async () => {
    const { s3 } = emu.clients('destination');
    const Bucket = await createBucket(s3, 'ap-southeast-2', 'company-replica');
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowPartnerReplication',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:role/replication-role' },
          Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ObjectOwnerOverrideToBucketOwner'],
          Resource: `arn:aws:s3:::${Bucket}/*`,
        },
      ],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(Policy);
  });
});

describe('replication configuration', () => {
  const config = (destinationBucket: string): ReplicationConfiguration => ({
    Role: 'arn:aws:iam::111111111111:role/replication-role',
    Rules: [
      {
        ID: 'replicate-to-company',
        Priority: 1,
        Status: 'Enabled',
        Filter: { Prefix: 'data/' },
        DeleteMarkerReplication: { Status: 'Enabled' },
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
        Destination: {
          Bucket: `arn:aws:s3:::${destinationBucket}`,
          Account: '222222222222',
          StorageClass: 'STANDARD',
          AccessControlTranslation: { Owner: 'Destination' },
          EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:ap-southeast-2:222222222222:key/abc' },
          ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
          Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
        },
      },
    ],
  });

  it('needs versioning, then stores a cross-account rule (echoing only part of it)', async () => {
    const partner = emu.clients('source').s3;
    const company = emu.clients('destination').s3;
    const source = await createBucket(partner, 'ap-southeast-1', 'partner-data');
    const destination = await createBucket(company, 'ap-southeast-2', 'company-replica');
    const ReplicationConfiguration = config(destination);

    expect(await failure(partner.send(new PutBucketReplicationCommand({ Bucket: source, ReplicationConfiguration })))).toEqual({
      name: 'InvalidRequest',
      status: 400,
    });

    await partner.send(new PutBucketVersioningCommand({ Bucket: source, VersioningConfiguration: { Status: 'Enabled' } }));
    await partner.send(new PutBucketReplicationCommand({ Bucket: source, ReplicationConfiguration }));

    const stored = (await partner.send(new GetBucketReplicationCommand({ Bucket: source }))).ReplicationConfiguration;
    const rule = ReplicationConfiguration.Rules?.[0];
    expect(stored).toEqual({
      Role: ReplicationConfiguration.Role,
      Rules: [
        {
          ID: rule?.ID,
          Priority: 1,
          Status: 'Enabled',
          Destination: rule?.Destination,
          // moto quirk: fixed values, whatever was put; SourceSelectionCriteria is dropped.
          Filter: { Prefix: '' },
          DeleteMarkerReplication: { Status: 'Disabled' },
        },
      ],
    });

    // moto stores the rule but never copies objects.
    await partner.send(new PutObjectCommand({ Bucket: source, Key: 'data/hello.txt', Body: 'hello' }));
    const head = await partner.send(new HeadObjectCommand({ Bucket: source, Key: 'data/hello.txt' }));
    expect(head.ReplicationStatus).toBeUndefined();
    expect(await failure(company.send(new HeadObjectCommand({ Bucket: destination, Key: 'data/hello.txt' })))).toEqual({
      name: 'NotFound',
      status: 404,
    });
  });
});

describe('IAM and KMS', () => {
  it('reports a missing role as NoSuchEntityException and creates roles per account', async () => {
    const { iam } = emu.clients('source');
    expect(await failure(iam.send(new GetRoleCommand({ RoleName: 'replication-role' })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
    });
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'replication-role', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    expect(Role?.Arn).toBe('arn:aws:iam::111111111111:role/replication-role');
    await iam.send(new GetRoleCommand({ RoleName: 'replication-role' }));
    expect((await failure(emu.clients('destination').iam.send(new GetRoleCommand({ RoleName: 'replication-role' })))).name).toBe(
      'NoSuchEntityException',
    );
  });

  it('creates keys, key policies and aliases in the partner account', async () => {
    const { kms } = emu.clients('source');
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'replication test key' }));
    const KeyId = KeyMetadata?.KeyId ?? '';
    expect(KeyMetadata?.Arn).toMatch(/^arn:aws:kms:ap-southeast-1:111111111111:key\//);

    const initial = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))).Policy ?? '{}');
    expect(initial.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });

    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Replication', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/replication-role' }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId, PolicyName: 'default', Policy }));
    expect(JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))).Policy ?? '')).toEqual(JSON.parse(Policy));

    await kms.send(new CreateAliasCommand({ AliasName: 'alias/replication', TargetKeyId: KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/replication' }))).KeyMetadata?.KeyId).toBe(KeyId);
    expect(await failure(emu.clients('destination').kms.send(new DescribeKeyCommand({ KeyId: 'alias/replication' })))).toEqual({
      name: 'NotFoundException',
      status: 400,
    });
  });
});
