// A record of what moto 5.2.5's S3 really does where the engine depends on it (accounts, profiles, IAM and KMS are in
// test/emulator.test.ts). Found (and asserted below):
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
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBucket, failure, uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();

afterEach(() => {
  vi.unstubAllEnvs();
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

    expect(
      await failure(company.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }))),
    ).toEqual({ name: 'BucketAlreadyExists', status: 409 });
    expect(
      await failure(partner.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }))),
    ).toEqual({ name: 'BucketAlreadyOwnedByYou', status: 409 });
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
