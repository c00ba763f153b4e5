import type { NotificationConfiguration, ObjectOwnership } from '@aws-sdk/client-s3';
import type { CreateJobRequest } from '@aws-sdk/client-s3-control';
import type { AlarmDefinition } from './alert-types.js';
import type { DefaultEncryption, PublicAccessBlock } from './live.js';
import type { ReplicationConfiguration } from './merge.js';
import type { PolicyDocument } from './policy-types.js';

/** Which profile (account) a change is made with. */
export type Side = 'source' | 'destination';
export type Action = 'create' | 'update' | 'delete' | 'no-op';

/** Every step id the planner can produce: a typo in a dependency does not compile. */
export type StepId =
  | `${Side}-bucket`
  | `${Side}-public-access-block`
  | `${Side}-encryption`
  | `${Side}-ownership`
  | `${Side}-versioning`
  | `${Side}-bucket-policy`
  | `${Side}-kms-key`
  | `${Side}-kms-key-policy`
  | 'replication-role'
  | 'replication-role-policy'
  | 'replication-configuration'
  | `reader-policy:${string}`
  | 'batch-role'
  | 'batch-bucket'
  | 'batch-job'
  | 'alert-topic'
  | `alert-subscription:${string}`
  | 'source-bucket-notification'
  | `alert-alarm:${string}`;

interface ChangeBase {
  /** Stable step id, e.g. `source-bucket`, `reader-policy:tom-cruise`. */
  id: StepId;
  title: string;
  side: Side;
  action: Action;
  /** ARN of the resource the change acts on. */
  resource: string;
  /** Steps that must be done first. */
  dependsOn: StepId[];
  /** Why the step is a no-op or was dropped, or what the user should know about it. */
  note?: string;
  /**
   * Its documents name an ARN known only after an earlier step of this plan has run (a new KMS key): apply plans it
   * again once that value exists. Set by the planner from the dependency graph, never guessed from the text.
   */
  pending?: true;
  /** The catalogue operations applying it makes (`s3:PutBucketPolicy`), from its kind: what `plan` lists under it. */
  calls?: string[];
}

/** What each kind of change carries besides the bookkeeping every change has: the documents and values it writes. */
export interface ChangePayloads {
  /** `empty` (teardown with --delete-objects): every object version and delete marker is deleted first. */
  bucket: { bucket: string; region: string; empty?: { versions: number; atLeast: boolean } };
  'public-access-block': { bucket: string; after: PublicAccessBlock };
  encryption: { bucket: string; after: DefaultEncryption };
  ownership: { bucket: string; after: ObjectOwnership };
  versioning: { bucket: string; after: 'Enabled' };
  role: { roleName: string; trustPolicy: PolicyDocument };
  /** `retire`: the same policy under the previous release's name, deleted once this one is written. */
  'role-policy': { roleName: string; policyName: string; document: PolicyDocument; retire?: string };
  /** `undefined`: no statement is left, the policy is deleted. */
  'bucket-policy': { bucket: string; document: PolicyDocument | undefined };
  replication: { bucket: string; configuration: ReplicationConfiguration };
  'reader-policy': { principalKind: 'user' | 'role'; principalName: string; policyName: string; document: PolicyDocument; retire?: string };
  /** A customer-managed key named by `alias`, created (with `policy`) when absent; its ARN is known only after apply. */
  'kms-key': { alias: string; description: string; policy?: PolicyDocument };
  /** The whole key policy, ours merged into the key's own; `keyId` is the key ARN (pending until the key exists). */
  'kms-key-policy': { keyId: string; document: PolicyDocument };
  /** S3 Batch Replication's role with its inline policy (one step: the role is useless without it). */
  'batch-role': { roleName: string; trustPolicy: PolicyDocument; policyName: string; document: PolicyDocument };
  /** The bucket of its own for the job's manifest and report, when the rules select the whole source bucket. */
  'batch-bucket': { bucket: string; region: string };
  /** create: CreateJob with `request`; delete: cancel the running job `jobId`. */
  'batch-job': { request: CreateJobRequest; jobId?: string };
  /** The alerts topic and its whole policy (ours merged in); `create` only for the setup's own topic. */
  'sns-topic': { topicArn: string; topicName: string; policy: PolicyDocument };
  /** An email subscription to the alerts topic: pending until the person confirms it. */
  'sns-subscription': { topicArn: string; protocol: 'email'; endpoint: string };
  /** The source bucket's whole notification configuration, this setup's entry merged with the bucket's own. */
  'bucket-notification': { bucket: string; configuration: NotificationConfiguration };
  /** One CloudWatch alarm on a replication rule's metrics. */
  alarm: { definition: AlarmDefinition };
}

export type ChangeKind = keyof ChangePayloads;

export type ChangeOf<K extends ChangeKind> = ChangeBase & { kind: K } & ChangePayloads[K];

export type Change = { [K in ChangeKind]: ChangeOf<K> }[ChangeKind];

export interface Plan {
  changes: Change[];
  /** Things the user should know that are not changes (dropped steps, upgraded rules, kept roles). */
  notes: string[];
}

export const pendingChanges = (plan: Plan): Change[] => plan.changes.filter((change) => change.action !== 'no-op');

/** The documents and values a change would write: everything but the bookkeeping fields every change has. */
export function changeDocuments(change: Change): Record<string, unknown> {
  const { id: _id, title: _t, side: _s, action: _a, resource: _r, dependsOn: _d, note: _n, kind: _k, pending: _p, calls: _c, ...documents } = change;
  return documents;
}

/** Every change that depends, directly or not, on one of `roots`. */
export function dependentsOf(changes: readonly Change[], roots: readonly string[]): Set<StepId> {
  const found = new Set<StepId>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const change of changes) {
      if (found.has(change.id)) continue;
      if (change.dependsOn.some((id) => roots.includes(id) || found.has(id))) {
        found.add(change.id);
        grew = true;
      }
    }
  }
  return found;
}
