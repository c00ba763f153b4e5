import type { AwsClients } from '../aws/clients.js';
import type { CallContext } from '../aws/errors.js';
import type { Change } from '../plan/changes.js';
import { createBucket, putEncryption, putOwnership, putPublicAccessBlock, putVersioning } from '../aws/s3-bucket.js';
import { writeBucketPolicy } from '../aws/s3-policy.js';
import { writeReplication } from '../aws/s3-replication.js';
import { createRole, putRolePolicy, updateTrustPolicy } from '../aws/iam-role.js';
import { putReaderPolicy } from '../aws/iam-principals.js';
import { createKeyWithAlias, putKeyPolicy } from '../aws/kms.js';
import { KNOWN_AFTER_APPLY } from '../plan/diff-kms.js';

/** What a change needs from AWS, said the way a remedy says it: the permission and what it acts on. */
export function callContext(change: Change, profile: string): CallContext {
  const permission: Record<Change['kind'], string> = {
    bucket: 's3:CreateBucket',
    'public-access-block': 's3:PutBucketPublicAccessBlock',
    encryption: 's3:PutEncryptionConfiguration',
    ownership: 's3:PutBucketOwnershipControls',
    versioning: 's3:PutBucketVersioning',
    role: change.action === 'create' ? 'iam:CreateRole and iam:TagRole' : 'iam:UpdateAssumeRolePolicy',
    'role-policy': 'iam:PutRolePolicy',
    'bucket-policy': change.action === 'delete' ? 's3:DeleteBucketPolicy' : 's3:PutBucketPolicy',
    replication: 's3:PutReplicationConfiguration and iam:PassRole',
    'reader-policy': 'iam:PutUserPolicy (iam:PutRolePolicy for roles)',
    'kms-key': 'kms:CreateKey, kms:TagResource and kms:CreateAlias',
    'kms-key-policy': 'kms:PutKeyPolicy',
  };
  return { doing: `applying "${change.title}"`, profile, permission: permission[change.kind], resource: change.resource };
}

/** Performs one change. Each write is idempotent, so a step retried after a lost response does no harm. */
export async function executeChange(change: Change, clients: AwsClients): Promise<void> {
  // A placeholder reaching AWS would be a planner bug; refuse rather than write "(known after apply)" into a policy.
  if (JSON.stringify(change).includes(KNOWN_AFTER_APPLY) && change.kind !== 'kms-key') {
    throw new Error(`internal error: step ${change.id} still names a value known only after apply`);
  }
  const { s3, iam, kms } = clients[change.side];
  switch (change.kind) {
    case 'bucket':
      return createBucket(s3, change.bucket, change.region);
    case 'public-access-block':
      await putPublicAccessBlock(s3, change.bucket, change.after);
      return;
    case 'encryption':
      await putEncryption(s3, change.bucket, change.after);
      return;
    case 'ownership':
      await putOwnership(s3, change.bucket, change.after);
      return;
    case 'versioning':
      await putVersioning(s3, change.bucket);
      return;
    case 'role':
      if (change.action === 'create') await createRole(iam, change.roleName, change.trustPolicy);
      else await updateTrustPolicy(iam, change.roleName, change.trustPolicy);
      return;
    case 'role-policy':
      await putRolePolicy(iam, change.roleName, change.policyName, change.document);
      return;
    case 'bucket-policy':
      return writeBucketPolicy(s3, change.bucket, change.document);
    case 'replication':
      await writeReplication(s3, change.bucket, change.configuration);
      return;
    case 'reader-policy':
      return putReaderPolicy(iam, change.principalKind, change.principalName, change.policyName, change.document);
    case 'kms-key':
      await createKeyWithAlias(kms, change.alias, change.description, change.policy);
      return;
    case 'kms-key-policy':
      await putKeyPolicy(kms, change.keyId, change.document);
      return;
  }
}
