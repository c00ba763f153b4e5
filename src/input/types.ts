import type { StorageClassName } from './rules.js';

/** Where one side of the replication lives: the credentials profile that owns it, its region and bucket. */
export interface BucketSide {
  /** The named profile; undefined means the SDK's default credential chain (environment, AWS_PROFILE, SSO, roles). */
  profile?: string;
  region: string;
  bucket: string;
}

export type EncryptionMode = 'sse-s3' | 'sse-kms';

/** A validated request for one replication setup. Every field is known-good: validation happened before. */
export interface SetupInput {
  source: BucketSide;
  destination: BucketSide;
  roleName: string;
  /** IAM user names in the destination account, or full user/role ARNs. */
  authorizedUsers: string[];
  /** Key prefix to replicate; '' replicates the whole bucket. */
  prefix: string;
  rtc: boolean;
  deleteMarkerReplication: boolean;
  encryption: EncryptionMode;
  /** KMS key ARN or alias for each side when encryption is sse-kms; undefined means "create one". */
  sourceKmsKey?: string;
  destinationKmsKey?: string;
  /** Source-account IAM users/roles whose uploads alone replicate (one rule per uploader). */
  uploaders: string[];
  /** Storage class of the replicas; undefined keeps the source object's class. */
  storageClass?: StorageClassName;
  preset?: 'log-backup';
  /** Objects already in the replicated scope are replicated too, by one S3 Batch Replication job. */
  replicateExisting?: true;
  endpointUrl?: string;
  /** Failure alerts (--alert-email, --alert-topic); undefined: no alerts. */
  alerts?: AlertsInput;
}

/** Who hears about failed replication: email addresses subscribed to a topic, the setup's own or an existing one. */
export interface AlertsInput {
  emails: string[];
  /** An existing SNS topic (--alert-topic); undefined: the setup's own topic is created. */
  topicArn?: string;
}

/** The account ids the two profiles resolve to; the pure planners need them to write ARNs. */
export interface Accounts {
  source: string;
  destination: string;
}
