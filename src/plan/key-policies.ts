import { authorizedPrincipalArns, type DocumentContext, exportPrefix, REPLICA_KEY_ACTIONS, s3EncryptionContext, uploaderArn, viaS3 } from './documents.js';
import { bucketArn, sidOf } from './names.js';
import type { PolicyDocument, PolicyStatement } from './policy-types.js';

/**
 * The statements this tool adds to the two KMS key policies, merged into whatever the key policy already says (the
 * account-root statement and anything else stay). Pure, like every other document.
 */

/** KMS's longest waiting period before a key is deleted: a key scheduled by mistake can be recovered for a month. */
export const KEY_DELETION_WINDOW_DAYS = 30;

/** The alias of the key the tool creates for a bucket, and finds it by on a re-run (dots are not allowed in aliases). */
export const defaultKeyAlias = (bucket: string): string => `alias/replicate-setup-${bucket.replace(/\./g, '-')}`;

/** What KMS gives a key created without a policy: the account may manage and use it through IAM policies. */
export const defaultKeyPolicy = (accountId: string): PolicyDocument => ({
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});

/** Source key: the role decrypts what it replicates, readers what they read, uploaders encrypt what they write. */
export function sourceKeyStatements(ctx: DocumentContext): PolicyStatement[] {
  const { input } = ctx;
  const { source } = input;
  const statements: PolicyStatement[] = [
    {
      Sid: sidOf(ctx.names.setupId, 'ReplicationDecrypt'),
      Effect: 'Allow',
      Principal: { AWS: ctx.replicationRoleArn },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringLike: { ...viaS3(source.region), ...s3EncryptionContext(source.bucket, exportPrefix(input)) } },
    },
    ...readerStatement(ctx, source.bucket, source.region, sidOf(ctx.names.setupId, 'SourceReaderDecrypt')),
  ];
  if (input.uploaders.length > 0) {
    // With SSE-KMS by default, an upload needs GenerateDataKey (and Decrypt for multipart) on the bucket's key.
    statements.push({
      Sid: sidOf(ctx.names.setupId, 'UploaderEncrypt'),
      Effect: 'Allow',
      Principal: { AWS: input.uploaders.map((uploader) => uploaderArn(uploader, ctx.accounts.source)) },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringLike: { ...viaS3(source.region), ...s3EncryptionContext(source.bucket, exportPrefix(input)) } },
    });
  }
  if (input.preset === 'log-backup') {
    // Documented for export tasks to an SSE-KMS bucket; the bucket policy is what limits exports to this account.
    statements.push({
      Sid: sidOf(ctx.names.setupId, 'LogsExport'),
      Effect: 'Allow',
      Principal: { Service: `logs.${source.region}.amazonaws.com` },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
    });
  }
  return statements;
}

/** Destination key: the source account's role encrypts replicas with it, the authorised users decrypt them. */
export function destinationKeyStatements(ctx: DocumentContext): PolicyStatement[] {
  const { input } = ctx;
  const { destination } = input;
  return [
    {
      Sid: sidOf(ctx.names.setupId, 'ReplicaEncrypt'),
      Effect: 'Allow',
      Principal: { AWS: ctx.replicationRoleArn },
      Action: [...REPLICA_KEY_ACTIONS],
      Resource: '*',
      Condition: { StringLike: { ...viaS3(destination.region), ...s3EncryptionContext(destination.bucket, exportPrefix(input)) } },
    },
    ...readerStatement(ctx, destination.bucket, destination.region, sidOf(ctx.names.setupId, 'ReplicaReaderDecrypt')),
  ];
}

function readerStatement(ctx: DocumentContext, bucket: string, region: string, sid: string): PolicyStatement[] {
  const readers = authorizedPrincipalArns(ctx);
  if (readers.length === 0) return [];
  return [
    {
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: readers },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringLike: { ...viaS3(region), 'kms:EncryptionContext:aws:s3:arn': [bucketArn(bucket), `${bucketArn(bucket)}/*`] } },
    },
  ];
}
