import type { ObjectOwnership, ReplicationRule as S3ReplicationRule, ServerSideEncryption } from '@aws-sdk/client-s3';
import type { LiveAlerts } from './alert-types.js';
import type { PrincipalRef } from './names.js';
import type { PolicyDocument } from './policy-types.js';

/** What the tool read from AWS before planning. Absent fields mean "not configured", not "unknown". */
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface DefaultEncryption {
  algorithm: ServerSideEncryption; // AES256 | aws:kms | aws:kms:dsse
  kmsKeyId?: string;
  bucketKey?: boolean;
}

export interface LiveBucket {
  /** absent: free to create; ours: exists in the profile's account; foreign: somebody else holds the name. */
  ownership: 'absent' | 'ours' | 'foreign';
  region?: string;
  versioning?: string;
  publicAccessBlock?: PublicAccessBlock;
  encryption?: DefaultEncryption;
  objectOwnership?: ObjectOwnership;
  policy?: PolicyDocument;
  replication?: ReplicationConfiguration;
}

export interface LiveRole {
  name: string;
  arn: string;
  exists: boolean;
  trustPolicy?: PolicyDocument;
  /** The tool's own inline policy on the role, if present. */
  inlinePolicy?: PolicyDocument;
  /** The inline policy under the previous release's name for this pair, while it is still there (adopted, then removed). */
  legacyInlinePolicy?: PolicyDocument;
  /** Tagged managed-by=replicate-setup when the tool created it: only such a role is ever deleted. */
  createdByTool?: true;
}

export interface LiveReader {
  arn: string;
  exists: boolean;
  /** The ARN IAM reports, path included; differs from `arn` for a user under a path given by bare name. */
  actualArn?: string;
  /** The tool's own inline identity policy on the user/role, if present. */
  policy?: PolicyDocument;
  /** Its identity policy under the previous release's name for this pair, while it is still there. */
  legacyPolicy?: PolicyDocument;
}

/**
 * A reader this setup's own statements in the source bucket policy name though the flags do not give it
 * (plan/named-readers.ts), with the tool's policies on it: what teardown removes when the readers are not given again.
 */
export type NamedReader = PrincipalRef & Pick<LiveReader, 'policy' | 'legacyPolicy'>;

export interface LiveKmsKey {
  /** The key ARN when the key (or the alias naming it) exists. */
  arn?: string;
  /** What the key was looked up by: the flag's value, the bucket's current default key, or the tool's own alias. */
  alias: string;
  /** flag: --source/--dest-kms-key; bucket: the bucket already encrypts with it; tool: the tool's alias (created if absent). */
  foundBy?: 'flag' | 'bucket' | 'tool';
  policy?: PolicyDocument;
  /** AWS-managed keys (aws/s3) cannot be shared across accounts. */
  awsManaged?: boolean;
}

export interface LiveState {
  source: LiveBucket;
  destination: LiveBucket;
  /** The role replication will use: ours, or the one already configured on the source bucket. */
  role: LiveRole;
  readers: LiveReader[];
  /** Readers only this setup's statements name (read with the source bucket's policy); none when it has no policy. */
  namedReaders?: NamedReader[];
  kms?: { source: LiveKmsKey; destination: LiveKmsKey };
  /** Failure alerts (topic, subscriptions, notification, alarms): read when --alert-email/--alert-topic ask for them. */
  alerts?: LiveAlerts;
  /** Objects already in the replicated scope, and this setup's Batch Replication parts (engine/read-existing.ts). */
  batch?: LiveBatch;
}

/** One S3 Batch Operations job of this setup, as ListJobs / DescribeJob report it. */
export interface BatchJob {
  jobId: string;
  status: string;
  description: string;
  creationTime?: string;
  terminationDate?: string;
  total?: number;
  succeeded?: number;
  failed?: number;
  /** DescribeJob only: why the job failed, and the job's report location. */
  failureReasons?: { code: string; reason: string }[];
  statusUpdateReason?: string;
  elapsedSeconds?: number;
}

export interface LiveBatch {
  /** Objects in the replicated scope, counted up to 1,000 (ListObjectsV2): the rule never replicates them. */
  existing: { count: number; atLeast: boolean };
  role: LiveRole;
  /** The bucket of its own the manifest and report go to, when the rules select the whole source bucket. */
  reportsBucket?: { name: string; exists: boolean };
  /** This setup's jobs, newest first; read only when Batch Replication is asked for or was used (its role exists). */
  jobs: BatchJob[];
}

/**
 * A replication configuration as PutBucketReplication takes it and GetBucketReplication returns it. Its rules have the
 * SDK's own type (ID and Priority optional; a V1 rule has a top-level Prefix and no Filter): the configuration holds the
 * user's rules as S3 returned them beside ours, and ours (documents.ts) are that type with their ID always set.
 */
export interface ReplicationConfiguration {
  Role: string;
  Rules: S3ReplicationRule[];
}

/** What GetBucketReplication returned: the same shape, named for where it came from. */
export type LiveReplicationConfiguration = ReplicationConfiguration;

/**
 * The role the source bucket's replication configuration names when that role no longer exists (the live read then
 * puts the tool's own role in its place, so the two differ); undefined otherwise.
 */
export const missingConfiguredRole = (live: Pick<LiveState, 'source' | 'role'>): string | undefined => {
  const configured = live.source.replication?.Role;
  return configured && configured !== live.role.arn ? configured : undefined;
};
