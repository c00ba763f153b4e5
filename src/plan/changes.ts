import type { PolicyDocument } from './policy-types.js';
import type { ReplicationConfiguration } from './merge.js';
import type { DefaultEncryption, PublicAccessBlock } from './live.js';

/** Which profile (account) a change is made with. */
export type Side = 'source' | 'destination';
export type Action = 'create' | 'update' | 'delete' | 'no-op';

interface ChangeBase {
  /** Stable step id, e.g. `source-bucket`, `reader-policy:tom-cruise`. */
  id: string;
  title: string;
  side: Side;
  action: Action;
  /** ARN of the resource the change acts on. */
  resource: string;
  /** Steps that must be done first. */
  dependsOn: string[];
  /** Why the step is a no-op or was dropped, or what the user should know about it. */
  note?: string;
}

export type Change = ChangeBase &
  (
    | { kind: 'bucket'; bucket: string; region: string }
    | { kind: 'public-access-block'; bucket: string; after: PublicAccessBlock }
    | { kind: 'encryption'; bucket: string; after: DefaultEncryption }
    | { kind: 'ownership'; bucket: string; after: string }
    | { kind: 'versioning'; bucket: string; after: 'Enabled' }
    | { kind: 'role'; roleName: string; trustPolicy: PolicyDocument }
    | { kind: 'role-policy'; roleName: string; policyName: string; document: PolicyDocument }
    | { kind: 'bucket-policy'; bucket: string; document: PolicyDocument | undefined }
    | { kind: 'replication'; bucket: string; configuration: ReplicationConfiguration }
    | { kind: 'reader-policy'; principalKind: 'user' | 'role'; principalName: string; policyName: string; document: PolicyDocument }
    /** A customer-managed key named by `alias`, created (with `policy`) when absent; its ARN is known only after apply. */
    | { kind: 'kms-key'; alias: string; description: string; policy?: PolicyDocument }
    /** The whole key policy, ours merged into the key's own; `keyId` is the key ARN (a placeholder until it exists). */
    | { kind: 'kms-key-policy'; keyId: string; document: PolicyDocument }
  );

export type ChangeKind = Change['kind'];

export interface Plan {
  changes: Change[];
  /** Things the user should know that are not changes (dropped steps, upgraded rules, kept roles). */
  notes: string[];
}

export const pendingChanges = (plan: Plan): Change[] => plan.changes.filter((change) => change.action !== 'no-op');

/** The AWS API operations a change makes when applied: what `plan` lists as "every call", in order. */
export function apiCalls(change: Change): string[] {
  switch (change.kind) {
    case 'bucket':
      return ['s3:CreateBucket'];
    case 'public-access-block':
      return ['s3:PutPublicAccessBlock'];
    case 'encryption':
      return ['s3:PutBucketEncryption'];
    case 'ownership':
      return ['s3:PutBucketOwnershipControls'];
    case 'versioning':
      return ['s3:PutBucketVersioning'];
    case 'role':
      return [change.action === 'create' ? 'iam:CreateRole' : 'iam:UpdateAssumeRolePolicy'];
    case 'role-policy':
      return ['iam:PutRolePolicy'];
    case 'bucket-policy':
      return [change.document === undefined ? 's3:DeleteBucketPolicy' : 's3:PutBucketPolicy'];
    case 'replication':
      return ['s3:PutBucketReplication'];
    case 'reader-policy':
      return [change.principalKind === 'role' ? 'iam:PutRolePolicy' : 'iam:PutUserPolicy'];
    case 'kms-key':
      return ['kms:CreateKey', 'kms:CreateAlias'];
    case 'kms-key-policy':
      return ['kms:PutKeyPolicy'];
  }
}

/** The documents and values a change would write: everything but the bookkeeping fields every change has. */
export function changeDocuments(change: Change): Record<string, unknown> {
  const { id: _id, title: _t, side: _s, action: _a, resource: _r, dependsOn: _d, note: _n, kind: _k, ...documents } = change;
  return documents;
}
