import type { ChangeKind, ChangeOf } from '../plan/changes.js';
import { alarmKind } from './alarm.js';
import { batchBucketKind } from './batch-bucket.js';
import { batchJobKind } from './batch-job.js';
import { batchRoleKind } from './batch-role.js';
import { bucketKind } from './bucket.js';
import { bucketNotificationKind } from './bucket-notification.js';
import { bucketPolicyKind } from './bucket-policy.js';
import type { ResourceKind } from './contract.js';
import { encryptionKind } from './encryption.js';
import { kmsKeyKind } from './kms-key.js';
import { kmsKeyPolicyKind } from './kms-key-policy.js';
import { ownershipKind } from './ownership.js';
import { publicAccessBlockKind } from './public-access-block.js';
import { readerPolicyKind } from './reader-policy.js';
import { replicationKind } from './replication.js';
import { roleKind } from './role.js';
import { rolePolicyKind } from './role-policy.js';
import { snsSubscriptionKind } from './sns-subscription.js';
import { snsTopicKind } from './sns-topic.js';
import { versioningKind } from './versioning.js';

type KindTable = { readonly [K in ChangeKind]: ResourceKind<K> };

/**
 * Every kind of resource the tool manages, once. The table's type makes a missing kind a compile error; its order is
 * the order verify reports them in.
 */
export const KINDS: KindTable = {
  bucket: bucketKind,
  'public-access-block': publicAccessBlockKind,
  encryption: encryptionKind,
  ownership: ownershipKind,
  versioning: versioningKind,
  'kms-key': kmsKeyKind,
  'kms-key-policy': kmsKeyPolicyKind,
  role: roleKind,
  'role-policy': rolePolicyKind,
  replication: replicationKind,
  'bucket-policy': bucketPolicyKind,
  'reader-policy': readerPolicyKind,
  'batch-role': batchRoleKind,
  'batch-bucket': batchBucketKind,
  'batch-job': batchJobKind,
  'sns-topic': snsTopicKind,
  'sns-subscription': snsSubscriptionKind,
  'bucket-notification': bucketNotificationKind,
  alarm: alarmKind,
};

export const ALL_KINDS: readonly KindTable[ChangeKind][] = Object.values(KINDS);

/** The module of a change's kind, typed for that change. */
export const kindOf = <K extends ChangeKind>(change: ChangeOf<K>): ResourceKind<K> => KINDS[change.kind as K];
