import { createHash } from 'node:crypto';
import type { ReplicationRuleFilter, Destination as S3Destination, ReplicationRule as S3ReplicationRule } from '@aws-sdk/client-s3';
import type { DocumentContext } from './documents.js';
import { bucketArn, isCrossAccount, ruleBaseIdOf } from './names.js';
import { arnText } from './pending.js';
import { exportPrefix, uploaderPrefix } from './scope.js';

/**
 * A replication rule of ours as PutBucketReplication takes it (V2 schema), before its priority is fixed by the merge:
 * the SDK's own rule type, with the fields the tool always writes made required.
 */
export type ReplicationRule = S3ReplicationRule & {
  ID: string;
  Status: 'Enabled' | 'Disabled';
  Filter: ReplicationRuleFilter;
  Destination: S3Destination & { Bucket: string };
};

/** The rules this tool owns on the source bucket: one for the prefix, or one per uploader's fenced prefix. */
export function replicationRules(ctx: DocumentContext): ReplicationRule[] {
  const { input } = ctx;
  const base = (scope?: string): string => ruleBaseIdOf(ctx.names.setupId, input.destination.bucket, scope);
  const scopes =
    input.uploaders.length > 0
      ? input.uploaders.map((uploader) => ({ id: base(uploader.split('/').pop()), prefix: uploaderPrefix(input, uploader) }))
      : [{ id: base(), prefix: exportPrefix(input) }];
  return scopes.map(({ id, prefix }) => replicationRule(ctx, id, prefix));
}

function replicationRule(ctx: DocumentContext, id: string, prefix: string): ReplicationRule {
  const { input, accounts } = ctx;
  const crossAccount = isCrossAccount(accounts);
  const rule: ReplicationRule = {
    ID: id,
    Status: 'Enabled',
    Filter: { Prefix: prefix },
    DeleteMarkerReplication: { Status: input.deleteMarkerReplication ? 'Enabled' : 'Disabled' },
    Destination: { Bucket: bucketArn(input.destination.bucket) },
  };
  if (crossAccount) {
    rule.Destination.Account = accounts.destination;
    rule.Destination.AccessControlTranslation = { Owner: 'Destination' };
  }
  if (input.storageClass) rule.Destination.StorageClass = input.storageClass;
  if (input.rtc) {
    rule.Destination.ReplicationTime = { Status: 'Enabled', Time: { Minutes: 15 } };
    rule.Destination.Metrics = { Status: 'Enabled', EventThreshold: { Minutes: 15 } };
  } else if (input.alerts) {
    // Failure alerts need the rule's replication metrics (OperationFailedReplication events, the alarms' metrics),
    // which RTC turns on by itself; without RTC they are turned on alone.
    rule.Destination.Metrics = { Status: 'Enabled' };
  }
  if (ctx.kmsKeys) {
    rule.SourceSelectionCriteria = { SseKmsEncryptedObjects: { Status: 'Enabled' } };
    rule.Destination.EncryptionConfiguration = { ReplicaKmsKeyID: arnText(ctx.kmsKeys.destination) };
  }
  rule.ID = `${id}@${selectionFingerprint(rule)}`;
  return rule;
}

/**
 * A short hash of what the rule selects (filter, delete markers, KMS objects), carried in its ID. Some S3
 * emulators (moto) do not echo these fields back, so the ID lets a re-run see that the rule it wrote is unchanged.
 */
export function selectionFingerprint(rule: Pick<ReplicationRule, 'Filter' | 'DeleteMarkerReplication' | 'SourceSelectionCriteria'>): string {
  const selection = JSON.stringify([rule.Filter, rule.DeleteMarkerReplication ?? null, rule.SourceSelectionCriteria ?? null]);
  return createHash('sha256').update(selection).digest('hex').slice(0, 8);
}
