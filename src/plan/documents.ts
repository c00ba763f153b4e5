import type { Accounts, SetupInput } from '../input/types.js';
import type { PublicAccessBlock } from './live.js';
import { bucketArn, isCrossAccount, isPrincipalArn, objectsArn, partIdOf, principalRef, type SetupNames, sidOf, userArn } from './names.js';
import { arnText, type KeyArns } from './pending.js';
import { exportPrefix, uploaderPrefix } from './scope.js';

export { exportPrefix, LOG_EXPORT_PREFIX, uploaderPrefix } from './scope.js';

import type { PolicyDocument, PolicyStatement } from './policy-types.js';

/**
 * The one source of truth for every document the tool writes. Pure: inputs in, JSON out. apply, plan and verify
 * all call these, so what is planned, what is written and what is checked can never drift apart.
 */
export type { KeyArns } from './pending.js';

export interface DocumentContext {
  input: SetupInput;
  accounts: Accounts;
  /** The role S3 assumes: ours, or the one the source bucket already replicates with (a bucket has one). */
  replicationRoleArn: string;
  /** Every name this setup gives what it writes, from its identity (names.ts). */
  names: SetupNames;
  /** The keys when encryption is sse-kms: an ARN, or pending for a key this run creates. */
  kmsKeys?: KeyArns;
}

/** Block Public Access, all four settings on: what both buckets get. */
export const FULL_PUBLIC_ACCESS_BLOCK: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export const REPLICATION_TRUST_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** Exactly the actions S3 documents for cross-account replication, on these two buckets only. */
export const SOURCE_BUCKET_ACTIONS = ['s3:GetReplicationConfiguration', 's3:ListBucket'];
export const SOURCE_OBJECT_ACTIONS = ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'];
export const DESTINATION_OBJECT_ACTIONS = ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner'];
export const DESTINATION_BUCKET_ACTIONS = ['s3:GetBucketVersioning', 's3:PutBucketVersioning'];
export const READER_BUCKET_ACTIONS = ['s3:ListBucket'];
export const READER_OBJECT_ACTIONS = ['s3:GetObject'];
export const REPLICA_KEY_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'];

/** `kms:ViaService` for S3 in a region: the key may be used only through S3 there, never directly. */
export const viaS3 = (region: string | string[]): Record<string, string | string[]> => ({
  'kms:ViaService': Array.isArray(region) ? region.map((r) => `s3.${r}.amazonaws.com`) : `s3.${region}.amazonaws.com`,
});

/**
 * The encryption context S3 passes to KMS: the bucket ARN when S3 Bucket Key is on (what this tool sets), the object
 * ARN for objects written before it was on or with a per-request key setting. Both are allowed, nothing else.
 */
export const s3EncryptionContext = (bucket: string, prefix: string): Record<string, string[]> => ({
  'kms:EncryptionContext:aws:s3:arn': [bucketArn(bucket), `${bucketArn(bucket)}/${prefix}*`],
});

export function replicationRolePolicy(ctx: DocumentContext): PolicyDocument {
  const { source, destination } = ctx.input;
  const statements: PolicyStatement[] = [
    { Sid: 'ReadSourceBucket', Effect: 'Allow', Action: [...SOURCE_BUCKET_ACTIONS], Resource: bucketArn(source.bucket) },
    { Sid: 'ReadSourceObjects', Effect: 'Allow', Action: [...SOURCE_OBJECT_ACTIONS], Resource: objectsArn(source.bucket) },
    {
      Sid: 'WriteReplicas',
      Effect: 'Allow',
      Action: [...DESTINATION_OBJECT_ACTIONS],
      Resource: objectsArn(destination.bucket),
    },
  ];
  if (ctx.kmsKeys) {
    const scope = exportPrefix(ctx.input);
    statements.push(
      {
        Sid: 'DecryptSourceObjects',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: arnText(ctx.kmsKeys.source),
        Condition: { StringLike: { ...viaS3(source.region), ...s3EncryptionContext(source.bucket, scope) } },
      },
      {
        // Encrypt for SSE-KMS objects, GenerateDataKey for plaintext/SSE-S3 ones, Decrypt because S3 checks the
        // destination's Bucket Key with it (all three documented for replication).
        Sid: 'EncryptReplicas',
        Effect: 'Allow',
        Action: [...REPLICA_KEY_ACTIONS],
        Resource: arnText(ctx.kmsKeys.destination),
        Condition: { StringLike: { ...viaS3(destination.region), ...s3EncryptionContext(destination.bucket, scope) } },
      },
    );
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** Statements this tool owns in the destination bucket policy: the source role may write replicas. */
export function destinationPolicyStatements(ctx: DocumentContext): PolicyStatement[] {
  if (!isCrossAccount(ctx.accounts)) return []; // the role's own identity policy is enough inside one account
  const role = { AWS: ctx.replicationRoleArn };
  return [
    {
      Sid: sidOf(ctx.names.setupId, 'Replicas'),
      Effect: 'Allow',
      Principal: role,
      Action: [...DESTINATION_OBJECT_ACTIONS],
      Resource: objectsArn(ctx.input.destination.bucket),
    },
    {
      Sid: sidOf(ctx.names.setupId, 'Versioning'),
      Effect: 'Allow',
      Principal: role,
      Action: [...DESTINATION_BUCKET_ACTIONS],
      Resource: bucketArn(ctx.input.destination.bucket),
    },
  ];
}

export const authorizedPrincipalArns = (ctx: DocumentContext): string[] =>
  ctx.input.authorizedUsers.map((user) => principalRef(user, ctx.accounts.destination).arn);

export const uploaderArn = (uploader: string, sourceAccountId: string): string => (isPrincipalArn(uploader) ? uploader : userArn(sourceAccountId, uploader));

/** Statements this tool owns in the source bucket policy: readers, uploader fences, CloudWatch Logs exports. */
export function sourcePolicyStatements(ctx: DocumentContext): PolicyStatement[] {
  const { source } = ctx.input;
  const statements: PolicyStatement[] = [];
  const readers = authorizedPrincipalArns(ctx);
  if (readers.length > 0) {
    statements.push(
      {
        Sid: sidOf(ctx.names.setupId, 'AuthorizedList'),
        Effect: 'Allow',
        Principal: { AWS: readers },
        Action: [...READER_BUCKET_ACTIONS],
        Resource: bucketArn(source.bucket),
      },
      {
        Sid: sidOf(ctx.names.setupId, 'AuthorizedRead'),
        Effect: 'Allow',
        Principal: { AWS: readers },
        Action: [...READER_OBJECT_ACTIONS],
        Resource: objectsArn(source.bucket),
      },
    );
  }
  // Replication filters on prefix, not on who uploaded: fencing each uploader's prefix makes the two the same.
  for (const uploader of ctx.input.uploaders) {
    statements.push({
      Sid: sidOf(ctx.names.setupId, 'OnlyUploader', partIdOf(uploaderArn(uploader, ctx.accounts.source))),
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${objectsArn(source.bucket).slice(0, -1)}${uploaderPrefix(ctx.input, uploader)}*`,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': uploaderArn(uploader, ctx.accounts.source) } },
    });
  }
  if (ctx.input.preset === 'log-backup') statements.push(...logExportStatements(ctx));
  return statements;
}

/** The statements AWS documents for CloudWatch Logs export tasks, limited to the source account's log groups. */
function logExportStatements(ctx: DocumentContext): PolicyStatement[] {
  const { source } = ctx.input;
  const account = ctx.accounts.source;
  const logs = { Service: `logs.${source.region}.amazonaws.com` };
  const fromOwnLogGroups = {
    StringEquals: { 'aws:SourceAccount': [account] },
    ArnLike: { 'aws:SourceArn': [`arn:aws:logs:${source.region}:${account}:log-group:*`] },
  };
  return [
    {
      Sid: sidOf(ctx.names.setupId, 'LogsExportAcl'),
      Effect: 'Allow',
      Principal: logs,
      Action: 's3:GetBucketAcl',
      Resource: bucketArn(source.bucket),
      Condition: fromOwnLogGroups,
    },
    {
      Sid: sidOf(ctx.names.setupId, 'LogsExportWrite'),
      Effect: 'Allow',
      Principal: logs,
      Action: 's3:PutObject',
      Resource: `${bucketArn(source.bucket)}/${exportPrefix(ctx.input)}*`,
      Condition: {
        ...fromOwnLogGroups,
        StringEquals: { ...fromOwnLogGroups.StringEquals, 's3:x-amz-acl': ['bucket-owner-full-control'] },
      },
    },
  ];
}

/** The identity policy each authorised user gets in its own account: cross-account reads need both sides to allow. */
export function readerIdentityPolicy(ctx: DocumentContext): PolicyDocument {
  const { source, destination } = ctx.input;
  const statements: PolicyStatement[] = [
    {
      Sid: 'ListReplicatedBuckets',
      Effect: 'Allow',
      Action: [...READER_BUCKET_ACTIONS],
      Resource: [bucketArn(source.bucket), bucketArn(destination.bucket)],
    },
    {
      Sid: 'ReadReplicatedObjects',
      Effect: 'Allow',
      Action: [...READER_OBJECT_ACTIONS],
      Resource: [objectsArn(source.bucket), objectsArn(destination.bucket)],
    },
  ];
  if (ctx.kmsKeys) {
    // Only through S3 in the two buckets' regions: the key opens the objects, it is not a general decryption grant.
    statements.push({
      Sid: 'DecryptReplicatedObjects',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [...new Set([arnText(ctx.kmsKeys.source), arnText(ctx.kmsKeys.destination)])],
      Condition: { StringLike: viaS3([...new Set([source.region, destination.region])]) },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
