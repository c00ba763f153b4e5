import type { ChangeOf, Side, StepId } from './changes.js';
import type { PlanContext } from './context.js';
import { kmsKeyPolicyStep, kmsKeyStep } from './diff-kms.js';
import type { LiveState } from './live.js';
import { bucketArn, legacyPolicyNames, principalRef, RULE_ID_PREFIX, SID_PREFIX } from './names.js';
import { bucketStatementOwner, keyStatementOwner, ruleOwner } from './ownership.js';
import type { PolicyDocument } from './policy-types.js';
import { readerPolicyRemoval } from './reader-steps.js';

/** What `teardown` was asked to remove besides the setup's own statements, rules and policies. */
export interface TeardownOptions {
  deleteBuckets: boolean;
  deleteObjects: boolean;
  deleteKeys: boolean;
}

/** Object versions and delete markers in a bucket, counted up to a limit (`atLeast` when the count stopped there). */
export interface VersionCount {
  count: number;
  atLeast: boolean;
}

/** What only teardown reads: whether anything else uses the role, and what the buckets hold. */
export interface TeardownFacts {
  role: { inlinePolicies: string[]; attachedPolicies: string[]; namedByBuckets: string[] };
  versions: Partial<Record<Side, VersionCount>>;
}

export interface TeardownContext extends PlanContext {
  teardown: TeardownOptions;
  facts: TeardownFacts;
}

const SIDES: Side[] = ['source', 'destination'];

/** The replication step runs first: nothing else is removed while a rule could still replicate with it. */
const AFTER_REPLICATION: StepId[] = ['replication-configuration'];

/** The source's configuration without this setup's rules: the whole configuration goes when none is left. */
export function replicationTeardown(tc: TeardownContext): ChangeOf<'replication'>[] {
  const existing = tc.live.source.replication;
  if (!existing) return [];
  const owns = ruleOwner(tc.documents);
  const rules = existing.Rules.filter((rule) => !owns(rule));
  if (rules.length === existing.Rules.length) return [];
  const bucket = tc.documents.input.source.bucket;
  return [
    {
      id: 'replication-configuration',
      title: `Replication ${bucket} → ${tc.documents.input.destination.bucket}: remove this setup's rule${rules.length > 0 ? `, keep ${rules.length} other` : ''}`,
      side: 'source',
      action: rules.length === 0 ? 'delete' : 'update',
      resource: bucketArn(bucket),
      dependsOn: [],
      kind: 'replication',
      bucket,
      configuration: { ...existing, Rules: rules },
    },
  ];
}

/**
 * Each bucket policy without this setup's statements (readers, fences, log exports, grants); deleted when empty. The
 * source's goes once the readers' identity policies are gone: its reader statements are how a teardown stopped
 * between the two finds, when run again, the readers the flags do not give.
 */
export function bucketPolicyTeardown(tc: TeardownContext): ChangeOf<'bucket-policy'>[] {
  const readerSteps = readerPolicyTeardown(tc).map((change) => change.id);
  return SIDES.flatMap((side): ChangeOf<'bucket-policy'>[] => {
    const policy = tc.live[side].policy;
    if (!policy) return [];
    const owns = bucketStatementOwner(tc.documents, side);
    const kept = policy.Statement.filter((statement) => !owns(statement));
    if (kept.length === policy.Statement.length) return [];
    const bucket = tc.documents.input[side].bucket;
    return [
      {
        id: `${side}-bucket-policy`,
        title: `${side === 'source' ? 'Source' : 'Destination'} bucket policy of ${bucket}: remove this setup's statements${kept.length > 0 ? `, keep ${kept.length} other` : ''}`,
        side,
        action: kept.length === 0 ? 'delete' : 'update',
        resource: bucketArn(bucket),
        dependsOn: side === 'source' ? [...AFTER_REPLICATION, ...readerSteps] : AFTER_REPLICATION,
        kind: 'bucket-policy',
        bucket,
        document: kept.length === 0 ? undefined : { ...policy, Statement: kept },
      },
    ];
  });
}

/** The role's inline policy for this pair (and the previous release's name of it, if still there). */
export function rolePolicyTeardown(tc: TeardownContext): ChangeOf<'role-policy'>[] {
  const { role } = tc.live;
  if (!role.exists || (!role.inlinePolicy && !role.legacyInlinePolicy)) return [];
  const policyName = tc.documents.names.rolePolicy;
  return [
    {
      id: 'replication-role-policy',
      title: `Replication policy ${policyName} on ${role.name}`,
      side: 'source',
      action: 'delete',
      resource: role.arn,
      dependsOn: AFTER_REPLICATION,
      kind: 'role-policy',
      roleName: role.name,
      policyName: role.inlinePolicy ? policyName : legacyName(tc, 'rolePolicy'),
      document: role.inlinePolicy ?? role.legacyInlinePolicy!,
    },
  ];
}

const legacyName = (tc: TeardownContext, which: 'rolePolicy' | 'readerPolicy'): string => legacyPolicyNames(tc.documents.input)[which];

/**
 * Each reader's identity policy for this pair: the readers the flags give, and those only this setup's own statements
 * in the source bucket policy name (read with it: plan/named-readers.ts), so a reader not given again is found too.
 */
export function readerPolicyTeardown(tc: TeardownContext): ChangeOf<'reader-policy'>[] {
  const ctx = tc.documents;
  const given = ctx.input.authorizedUsers.map((user) => {
    const ref = principalRef(user, ctx.accounts.destination);
    return { ref, reader: tc.live.readers.find((r) => r.arn === ref.arn) };
  });
  const named = (tc.live.namedReaders ?? []).map((reader) => ({ ref: reader, reader }));
  return [...given, ...named].flatMap(({ ref, reader }) => readerPolicyRemoval(ctx, ref, reader, AFTER_REPLICATION));
}

/** Other setups' statements in a key policy: such a key is still in use and is never deleted. */
const keyUsedByOthers = (tc: TeardownContext, policy: PolicyDocument | undefined): boolean => {
  const owns = keyStatementOwner(tc.documents);
  return (policy?.Statement ?? []).some((statement) => statement.Sid?.startsWith(SID_PREFIX) && !owns(statement));
};

/** A key the tool created (found by its own alias) and nobody else's setup uses: what --delete-keys schedules. */
export const keyToDelete = (tc: TeardownContext, side: Side): boolean => {
  const key = tc.live.kms?.[side];
  return tc.teardown.deleteKeys && !!key?.arn && key.foundBy === 'tool' && !keyUsedByOthers(tc, key.policy);
};

/** Without --delete-keys (or for a key in use elsewhere): the key policy without this setup's statements. */
export function kmsKeyPolicyTeardown(tc: TeardownContext): ChangeOf<'kms-key-policy'>[] {
  const kms = tc.live.kms;
  if (!kms) return [];
  const owns = keyStatementOwner(tc.documents);
  const seen = new Set<string>();
  return SIDES.flatMap((side): ChangeOf<'kms-key-policy'>[] => {
    const key = kms[side];
    if (!key.arn || !key.policy || key.awsManaged || seen.has(key.arn) || keyToDelete(tc, side)) return [];
    seen.add(key.arn);
    const kept = key.policy.Statement.filter((statement) => !owns(statement));
    if (kept.length === key.policy.Statement.length) return [];
    return [
      {
        id: kmsKeyPolicyStep(side),
        title: `Key policy of ${key.alias}: remove this setup's statements`,
        side,
        action: 'update',
        resource: key.arn,
        dependsOn: [...AFTER_REPLICATION, 'replication-role-policy'],
        kind: 'kms-key-policy',
        keyId: key.arn,
        document: { ...key.policy, Statement: kept },
      },
    ];
  });
}

/** With --delete-keys: the keys the tool created, aliases deleted and keys scheduled for deletion. */
export function kmsKeyTeardown(tc: TeardownContext): ChangeOf<'kms-key'>[] {
  return SIDES.flatMap((side): ChangeOf<'kms-key'>[] => {
    const key = tc.live.kms?.[side];
    if (!key?.arn || !keyToDelete(tc, side) || (side === 'destination' && tc.live.kms?.source.arn === key.arn)) return [];
    return [
      {
        id: kmsKeyStep(side),
        title: `KMS key ${key.alias}: alias deleted, key scheduled for deletion`,
        side,
        action: 'delete',
        resource: key.arn,
        dependsOn: [...AFTER_REPLICATION, 'replication-role-policy', ...readerPolicyTeardown(tc).map((change) => change.id)],
        kind: 'kms-key',
        alias: key.alias,
        description: `replicate-setup: default encryption of ${tc.documents.input[side].bucket}`,
      },
    ];
  });
}

/**
 * The role, only when the tool created it and nothing else uses it: no other inline or attached policy, no other
 * bucket's replication names it, and no rule left on this bucket does.
 */
export function roleTeardown(tc: TeardownContext): ChangeOf<'role'>[] {
  const { role } = tc.live;
  if (!role.exists || !role.createdByTool) return [];
  const ours = new Set([tc.documents.names.rolePolicy, legacyName(tc, 'rolePolicy')]);
  const { inlinePolicies, attachedPolicies, namedByBuckets } = tc.facts.role;
  const otherPolicies = inlinePolicies.filter((name) => !ours.has(name));
  const remaining = replicationTeardown(tc)[0];
  const stillHere = remaining?.action === 'update' || (!remaining && !!tc.live.source.replication);
  if (otherPolicies.length > 0 || attachedPolicies.length > 0 || namedByBuckets.length > 0 || stillHere) {
    const users = [
      ...otherPolicies.map((p) => `inline policy ${p}`),
      ...attachedPolicies.map((p) => `managed policy ${p}`),
      ...namedByBuckets.map((b) => `the replication of ${b}`),
    ];
    tc.notes.push(
      `Role ${role.name} is kept: it is still used by ${users.length > 0 ? users.join(', ') : `other rules of ${tc.documents.input.source.bucket}`}.`,
    );
    return [];
  }
  return [
    {
      id: 'replication-role',
      title: `Replication role ${role.name}`,
      side: 'source',
      action: 'delete',
      resource: role.arn,
      dependsOn: [...AFTER_REPLICATION, 'replication-role-policy'],
      kind: 'role',
      roleName: role.name,
      trustPolicy: role.trustPolicy ?? { Version: '2012-10-17', Statement: [] },
    },
  ];
}

/** Another setup's parts in a bucket: such a bucket is in use and is never deleted. */
export function bucketUsedByOthers(tc: TeardownContext, side: Side, live: LiveState = tc.live): boolean {
  const ownStatement = bucketStatementOwner(tc.documents, side);
  const ownRule = ruleOwner(tc.documents);
  const foreignSid = (live[side].policy?.Statement ?? []).some((s) => s.Sid?.startsWith(SID_PREFIX) && !ownStatement(s));
  const foreignRule = side === 'source' && (live.source.replication?.Rules ?? []).some((rule) => rule.ID?.startsWith(`${RULE_ID_PREFIX}:`) && !ownRule(rule));
  return foreignSid || foreignRule;
}

/**
 * With --delete-buckets: each bucket no other setup uses, emptied first with --delete-objects. Its dependencies are
 * every other step of its side: the teardown planner adds them once all are planned.
 */
export function bucketTeardown(tc: TeardownContext): ChangeOf<'bucket'>[] {
  if (!tc.teardown.deleteBuckets) return [];
  return SIDES.flatMap((side): ChangeOf<'bucket'>[] => {
    const { bucket, region } = tc.documents.input[side];
    if (tc.live[side].ownership !== 'ours') return [];
    if (bucketUsedByOthers(tc, side)) {
      tc.notes.push(`${bucket} is kept: another replicate-setup setup still uses it.`);
      return [];
    }
    const versions = tc.facts.versions[side];
    const emptying = tc.teardown.deleteObjects && !!versions && versions.count > 0;
    return [
      {
        id: `${side}-bucket`,
        title: `${side === 'source' ? 'Source' : 'Destination'} bucket ${bucket}${emptying ? `, after deleting its ${versions.atLeast ? 'at least ' : ''}${versions.count} object version(s) and delete marker(s)` : ''}`,
        side,
        action: 'delete',
        resource: bucketArn(bucket),
        dependsOn: [],
        kind: 'bucket',
        bucket,
        region,
        ...(emptying ? { empty: { versions: versions.count, atLeast: versions.atLeast } } : {}),
      },
    ];
  });
}
