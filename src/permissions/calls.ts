import * as ops from '../aws/catalogue.js';
import { lockPolicyName } from '../engine/document-lock.js';
import { KINDS, kindOf } from '../kinds/registry.js';
import { alarmListingPrefix, alertTopicName, topicArnOf } from '../plan/alert-names.js';
import { batchNames } from '../plan/batch-documents.js';
import { type Change, pendingChanges, type Side } from '../plan/changes.js';
import { uploaderArn } from '../plan/documents.js';
import { principalRef, setupNames } from '../plan/names.js';
import { KNOWN_AFTER_APPLY } from '../plan/pending.js';
import type { PreparedSetup } from '../plan/prepared.js';
import { callsOn, type PlannedCall, sides } from './planned-call.js';
import { canaryCalls, jobsCalls, statusCalls } from './watch-calls.js';

export type { PlannedCall } from './planned-call.js';

/** What a policy is printed for: each command of a setup (teardown: the deletes another issue's command will make). */
export const PERMISSION_SCOPES = ['wizard', 'verify', 'canary', 'teardown', 'status', 'jobs'] as const;
export type PermissionScope = (typeof PERMISSION_SCOPES)[number];

/** Any managed policy a principal may have attached, AWS managed ones included: verify reads them all. */
const ANY_MANAGED_POLICY = 'arn:aws:iam::*:policy/*';

/** The calls of one command, both sides, in no particular order (the policy sorts them). */
export function plannedCalls(prepared: PreparedSetup, scope: PermissionScope): PlannedCall[] {
  switch (scope) {
    case 'wizard':
      // The wizard reads, writes, then runs verify's checks; the permission check asks about the caller itself.
      // The interactive wizard also lists the destination's users to pick readers from (wizard/lookups.ts).
      return [
        ...preflightCalls(prepared),
        ...writeCalls(pendingChanges(prepared.plan), prepared),
        ...verifyCalls(prepared),
        ...selfCheckCalls(prepared),
        ...lockCalls(prepared),
        ...callsOn('destination', [ops.iam.ListUsers], {}),
      ];
    case 'verify':
      return [...preflightCalls(prepared), ...verifyCalls(prepared)];
    case 'canary':
      return [...preflightCalls(prepared), ...verifyCalls(prepared), ...canaryCalls(prepared)];
    case 'teardown':
      return [...preflightCalls(prepared, { batchParts: true }), ...teardownCalls(prepared), ...lockCalls(prepared)];
    case 'status':
      // status reads the setup as plan does (engine/read-live.ts), then its metrics, alarms and newest objects.
      return [...preflightCalls(prepared, { batchParts: true }), ...statusCalls(prepared)];
    case 'jobs':
      return jobsCalls(prepared);
  }
}

/** The lock of each bucket's documents (engine/document-lock.ts): a managed policy in the bucket's account. */
function lockCalls(prepared: PreparedSetup): PlannedCall[] {
  return sides.flatMap((side) => {
    const PolicyName = lockPolicyName(prepared.input[side].bucket);
    const PolicyArn = `arn:aws:iam::${prepared.accounts[side]}:policy/${PolicyName}`;
    return callsOn(side, [ops.iam.CreatePolicy, ops.iam.DeletePolicy, ops.iam.GetPolicy], { PolicyName, PolicyArn });
  });
}

/**
 * What `plan` reads (engine/read-live.ts, engine/read-kms.ts): each kind's reads on the resources of this setup.
 * Bucket-level kinds read both buckets (a bucket's policy and replication are read on either side).
 */
export function preflightCalls(prepared: PreparedSetup, { batchParts = !!prepared.input.replicateExisting }: { batchParts?: boolean } = {}): PlannedCall[] {
  const { input, live } = prepared;
  const bucketKinds = [
    KINDS.bucket,
    KINDS['public-access-block'],
    KINDS.encryption,
    KINDS.ownership,
    KINDS.versioning,
    KINDS['bucket-policy'],
    KINDS.replication,
  ];
  const calls = sides.flatMap((side) => [
    { side, operation: ops.sts.GetCallerIdentity, request: {} },
    ...bucketKinds.flatMap((kind) => callsOn(side, kind.reads, { Bucket: input[side].bucket })),
  ]);
  const { rolePolicy, readerPolicy } = setupNames(input, prepared.accounts);
  // The inline policies are listed too: whether the previous release's policy is there (aws/inline-policies.ts).
  calls.push(...callsOn('source', [ops.iam.GetRole, ops.iam.GetRolePolicy, ops.iam.ListRolePolicies], { RoleName: live.role.name, PolicyName: rolePolicy }));
  const policyReads = [ops.iam.GetUserPolicy, ops.iam.GetRolePolicy, ops.iam.ListUserPolicies, ops.iam.ListRolePolicies];
  for (const reader of readerRefs(prepared)) {
    calls.push(...callsOn('destination', [ops.iam.GetUser, ops.iam.GetRole, ...policyReads], principalRequest(reader, readerPolicy)));
  }
  // The readers only this setup's statements name are not looked up: their policies are read (engine/read-live.ts).
  for (const reader of live.namedReaders ?? []) calls.push(...callsOn('destination', policyReads, principalRequest(reader, readerPolicy)));
  for (const uploader of input.uploaders.map((u) => principalRef(uploaderArn(u, prepared.accounts.source), prepared.accounts.source))) {
    calls.push(...callsOn('source', [uploader.kind === 'user' ? ops.iam.GetUser : ops.iam.GetRole], principalRequest(uploader)));
  }
  calls.push(...batchReads(prepared, batchParts));
  if (input.alerts) calls.push(...alertReadCalls(prepared));
  if (input.encryption === 'sse-kms') {
    for (const side of sides) {
      const key = live.kms?.[side];
      const ref = keyRef(prepared, side);
      const current = live[side].encryption?.kmsKeyId;
      for (const keyId of new Set([ref, current].filter((r): r is string => !!r))) calls.push(...callsOn(side, KINDS['kms-key'].reads, { KeyId: keyId }));
      // Its policy is read whenever the key exists: a key this run creates is read back before its policy is written
      // (engine/apply-keys-first.ts), then by the closing verify and every later command.
      if (ref && !key?.awsManaged) calls.push(...callsOn(side, KINDS['kms-key-policy'].reads, { KeyId: ref }));
    }
  }
  return calls;
}

/**
 * How the calls on a side's KMS key name it: by its ARN once it exists. A key this run creates is named by its alias,
 * which it has from CreateAlias on, before its policy is read or written (policy.ts turns that into a condition).
 */
function keyRef(prepared: PreparedSetup, side: Side): string | undefined {
  const key = prepared.live.kms?.[side];
  return key?.arn ?? key?.alias;
}

/**
 * engine/read-existing.ts: the objects in scope; the batch role and its reports bucket when they are read (with
 * --replicate-existing, and always by teardown and status); the jobs when they are read.
 */
function batchReads(prepared: PreparedSetup, batchParts: boolean): PlannedCall[] {
  const { input, live } = prepared;
  const names = batchNames(input, setupNames(input, prepared.accounts).setupId);
  return [
    ...callsOn('source', [ops.s3.ListObjectsV2], { Bucket: input.source.bucket }),
    ...(batchParts ? callsOn('source', KINDS['batch-role'].reads, { RoleName: names.roleName, PolicyName: names.policyName }) : []),
    ...(batchParts && names.location.ownBucket ? callsOn('source', KINDS['batch-bucket'].reads, { Bucket: names.location.bucket }) : []),
    // The wizard ends by describing the job it started; `jobs` lists and describes.
    ...(input.replicateExisting || live.batch?.role.exists ? callsOn('source', [ops.s3control.ListJobs, ops.s3control.DescribeJob], { JobId: '*' }) : []),
  ];
}

/** The calls applying `changes` makes, each kind's writes with the change's own resources. */
export function writeCalls(changes: readonly Change[], prepared: PreparedSetup): PlannedCall[] {
  return changes.flatMap((change) => callsOn(change.side, kindOf(change).writes(change), changeRequest(change, prepared)));
}

/** The request fields a change's calls name its resource with. */
function changeRequest(change: Change, prepared: PreparedSetup): Record<string, unknown> {
  switch (change.kind) {
    case 'role':
      return { RoleName: change.roleName };
    case 'role-policy':
      return { RoleName: change.roleName, PolicyName: change.policyName };
    case 'reader-policy':
      return change.principalKind === 'role'
        ? { RoleName: change.principalName, PolicyName: change.policyName }
        : { UserName: change.principalName, PolicyName: change.policyName };
    case 'replication':
      return { Bucket: change.bucket, ReplicationConfiguration: { Role: change.configuration.Role } };
    case 'kms-key':
      // A new key's id is known only once it exists: it is named by its alias (policy.ts turns that into a condition).
      return { AliasName: change.alias, TargetKeyId: '*', KeyId: prepared.live.kms?.[change.side].arn ?? change.alias };
    case 'kms-key-policy':
      // A key created by this plan is named by its alias (keyRef), as its policy's reads name it.
      return { KeyId: change.keyId === KNOWN_AFTER_APPLY ? (keyRef(prepared, change.side) ?? '*') : change.keyId };
    case 'batch-role':
      return { RoleName: change.roleName, PolicyName: change.policyName };
    case 'batch-job':
      return { RoleArn: change.request.RoleArn, JobId: change.jobId ?? '*' };
    case 'sns-topic':
      return { Name: change.topicName, TopicArn: change.topicArn };
    case 'sns-subscription':
      return { TopicArn: change.topicArn };
    case 'alarm':
      return { AlarmName: change.definition.AlarmName, AlarmNames: [change.definition.AlarmName] };
    default:
      return { Bucket: change.bucket };
  }
}

/** verify's own reads besides the preflight: every policy on the role and on each reader, and the simulator. */
export function verifyCalls(prepared: PreparedSetup): PlannedCall[] {
  const calls = callsOn('source', KINDS['role-policy'].reads, { RoleName: prepared.live.role.name, PolicyName: '*', PolicyArn: ANY_MANAGED_POLICY });
  for (const reader of readerRefs(prepared)) {
    const request = { ...principalRequest(reader), PolicyName: '*', GroupName: '*', PolicyArn: ANY_MANAGED_POLICY };
    const reads = reader.kind === 'user' ? KINDS['reader-policy'].reads : KINDS['role-policy'].reads;
    calls.push(...callsOn('destination', reads, request));
    calls.push(...callsOn('destination', [ops.iam.SimulatePrincipalPolicy], { PolicySourceArn: reader.arn }));
  }
  return calls;
}

/**
 * What a teardown calls: every change of the setup undone (each kind's delete writes), what it reads to know whether
 * anything else uses the role (engine/read-teardown.ts), and emptying both buckets (a bucket must be empty to go).
 */
export function teardownCalls(prepared: PreparedSetup): PlannedCall[] {
  const deletes = prepared.plan.changes.map(
    (change) => ({ ...change, action: 'delete', ...(change.kind === 'bucket-policy' ? { document: undefined } : {}) }) as Change,
  );
  const emptying = sides.flatMap((side) =>
    callsOn(side, [ops.s3.ListObjectVersions, ops.s3.DeleteObject, ops.s3.DeleteObjects], { Bucket: prepared.input[side].bucket, Key: '*' }),
  );
  const roleUsers = [
    ...callsOn('source', [ops.iam.ListRolePolicies, ops.iam.ListAttachedRolePolicies], { RoleName: prepared.live.role.name }),
    // The source account's other buckets are read for a replication configuration that names the role.
    ...callsOn('source', [ops.s3.ListBuckets, ops.s3.GetBucketReplication], { Bucket: '*' }),
  ];
  // The readers only this setup's statements name lose its policy too (plan/teardown.ts), whether or not the plan
  // read with these flags removes it.
  const { readerPolicy } = setupNames(prepared.input, prepared.accounts);
  const namedReaders = (prepared.live.namedReaders ?? []).flatMap((reader) =>
    callsOn('destination', [ops.iam.DeleteUserPolicy, ops.iam.DeleteRolePolicy], principalRequest(reader, readerPolicy)),
  );
  // Teardown reads a setup's alerts even without the alert flags (engine/teardown.ts).
  return [...writeCalls(deletes, prepared), ...emptying, ...roleUsers, ...namedReaders, ...(prepared.input.alerts ? [] : alertReadCalls(prepared))];
}

/** Reading a setup's alerts (engine/read-alerts.ts): the topic and its subscriptions, the notifications, the alarms. */
function alertReadCalls(prepared: PreparedSetup): PlannedCall[] {
  const { input, accounts } = prepared;
  const { setupId } = setupNames(input, accounts);
  const TopicArn = input.alerts?.topicArn ?? topicArnOf(input.source.region, accounts.source, alertTopicName(setupId));
  const request = { TopicArn, Bucket: input.source.bucket, AlarmNamePrefix: alarmListingPrefix(setupId) };
  return callsOn(
    'source',
    [...KINDS['sns-topic'].reads, ...KINDS['sns-subscription'].reads, ...KINDS['bucket-notification'].reads, ...KINDS.alarm.reads],
    request,
  );
}

/**
 * The wizard's permission check asks IAM's simulator about the caller itself. The policy cannot know which user or
 * role it will be attached to, so it allows simulating the account's own users and roles (a read of policies only).
 */
function selfCheckCalls(prepared: PreparedSetup): PlannedCall[] {
  return sides.flatMap((side) =>
    ['user', 'role'].flatMap((kind) =>
      callsOn(side, [ops.iam.SimulatePrincipalPolicy], { PolicySourceArn: `arn:aws:iam::${prepared.accounts[side]}:${kind}/*` }),
    ),
  );
}

function readerRefs(prepared: PreparedSetup) {
  return prepared.input.authorizedUsers
    .map((user) => principalRef(user, prepared.accounts.destination))
    .filter((ref) => ref.accountId === prepared.accounts.destination);
}

const principalRequest = (ref: { kind: 'user' | 'role'; name: string }, policyName?: string): Record<string, unknown> => ({
  ...(ref.kind === 'user' ? { UserName: ref.name } : { RoleName: ref.name }),
  ...(policyName ? { PolicyName: policyName } : {}),
});
