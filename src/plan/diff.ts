import type { Accounts, SetupInput } from '../input/types.js';
import type { Change, Plan } from './changes.js';
import type { LiveBucket, LiveState } from './live.js';
import type { PolicyDocument, PolicyStatement } from './policy-types.js';
import {
  FULL_PUBLIC_ACCESS_BLOCK,
  REPLICATION_TRUST_POLICY,
  destinationPolicyStatements,
  readerIdentityPolicy,
  replicationRolePolicy,
  replicationRules,
  sourcePolicyStatements,
  exportPrefix,
  uploaderPrefix,
  type DocumentContext,
} from './documents.js';
import { mergePolicyStatements, mergeReplicationRules, samePolicy, type ReplicationConfiguration } from './merge.js';
import { KNOWN_AFTER_APPLY, keyDependencies, kmsKeyChanges, kmsKeyPolicyChanges, sameEncryption, wantedEncryption } from './diff-kms.js';
import { scenarioNotes } from './scenario-notes.js';

export { KNOWN_AFTER_APPLY } from './diff-kms.js';
import { sameDocument } from './compare.js';
import {
  bucketArn,
  isCrossAccount,
  ownsRule,
  ownsDestinationStatement,
  ownsSourceStatement,
  principalRef,
  readerPolicyName,
  roleArn,
  rolePolicyName,
} from './names.js';


export interface PlanOptions {
  /**
   * Whether GetBucketReplication echoes Filter and DeleteMarkerReplication faithfully (AWS does; moto returns fixed
   * values). When it does not, the selection fingerprint in our rule IDs stands in for those fields.
   */
  replicationEchoIsFaithful: boolean;
}

/** The context every document is computed from: the role is ours unless the bucket already replicates with one. */
export function documentContext(input: SetupInput, accounts: Accounts, live: Pick<LiveState, 'role' | 'kms'>): DocumentContext {
  const kmsKeys =
    input.encryption === 'sse-kms'
      ? { source: live.kms?.source.arn ?? KNOWN_AFTER_APPLY, destination: live.kms?.destination.arn ?? KNOWN_AFTER_APPLY }
      : undefined;
  return { input, accounts, replicationRoleArn: live.role.arn, ...(kmsKeys ? { kmsKeys } : {}) };
}

/** Pure: the ordered changes that move live state to the desired state. No-op changes are kept, to be reported. */
export function planChanges(input: SetupInput, accounts: Accounts, live: LiveState, options: PlanOptions): Plan {
  const ctx = documentContext(input, accounts, live);
  const notes: string[] = [];
  const replication = replicationChange(ctx, live, options, notes);
  const changes: Change[] = [
    ...kmsKeyChanges(ctx, live),
    ...bucketChanges(ctx, 'source', live.source, false),
    ...bucketChanges(ctx, 'destination', live.destination, true),
    ...roleChanges(ctx, live, notes),
    ...destinationPolicyChange(ctx, live),
    ...kmsKeyPolicyChanges(ctx, live, notes),
    replication,
    ...sourcePolicyChange(ctx, live),
    ...readerChanges(ctx, live, notes),
  ];
  notes.push(...scenarioNotes(input, accounts, replication.kind === 'replication' ? replication.configuration : { Role: '', Rules: [] }));
  return { changes: changes.map(markKnownAfterApply), notes };
}

/** A change whose documents name a key that does not exist yet says so, as terraform does. */
function markKnownAfterApply(change: Change): Change {
  if (change.note || change.kind === 'kms-key' || !JSON.stringify(change).includes(KNOWN_AFTER_APPLY)) return change;
  return { ...change, note: 'key ARN known after apply' };
}

const action = (exists: boolean, same: boolean): Change['action'] => (!exists ? 'create' : same ? 'no-op' : 'update');

function bucketChanges(ctx: DocumentContext, side: 'source' | 'destination', live: LiveBucket, enforceOwner: boolean): Change[] {
  const { bucket, region } = ctx.input[side];
  const exists = live.ownership === 'ours';
  const arn = bucketArn(bucket);
  const bucketStep = `${side}-bucket`;
  const after = [bucketStep];
  const changes: Change[] = [
    { id: bucketStep, title: `${capital(side)} bucket ${bucket} in ${region}`, side, action: action(exists, true), resource: arn, dependsOn: [], kind: 'bucket', bucket, region },
    {
      id: `${side}-public-access-block`,
      title: `Block Public Access on ${bucket}`,
      side,
      action: action(exists && !!live.publicAccessBlock, sameDocument(live.publicAccessBlock, FULL_PUBLIC_ACCESS_BLOCK)),
      resource: arn,
      dependsOn: after,
      kind: 'public-access-block',
      bucket,
      after: FULL_PUBLIC_ACCESS_BLOCK,
    },
  ];
  changes.push(encryptionChange(ctx, side, live));
  if (enforceOwner) {
    changes.push({
      id: `${side}-ownership`,
      title: `Object Ownership BucketOwnerEnforced on ${bucket}`,
      side,
      action: action(exists && !!live.objectOwnership, live.objectOwnership === 'BucketOwnerEnforced'),
      resource: arn,
      dependsOn: after,
      kind: 'ownership',
      bucket,
      after: 'BucketOwnerEnforced',
    });
  }
  changes.push({
    id: `${side}-versioning`,
    title: `Versioning on ${bucket}`,
    side,
    action: action(exists && !!live.versioning, live.versioning === 'Enabled'),
    resource: arn,
    dependsOn: after,
    kind: 'versioning',
    bucket,
    after: 'Enabled',
  });
  return changes;
}

/**
 * With sse-kms the bucket's default becomes its key with Bucket Key on (an SSE-S3 default is updated). Otherwise any
 * default encryption already there is kept: SSE-KMS chosen by the user is stronger than the SSE-S3 we'd set.
 */
function encryptionChange(ctx: DocumentContext, side: 'source' | 'destination', live: LiveBucket): Change {
  const { bucket } = ctx.input[side];
  const base = { id: `${side}-encryption`, side, resource: bucketArn(bucket), kind: 'encryption' as const, bucket };
  const wanted = wantedEncryption(ctx, side);
  if (wanted) {
    const keyName = live.encryption === undefined && ctx.kmsKeys?.[side] === KNOWN_AFTER_APPLY ? 'its new key' : 'its key';
    return {
      ...base,
      title: `Default encryption SSE-KMS with ${keyName}, Bucket Key on, on ${bucket}`,
      action: !live.encryption ? 'create' : sameEncryption(live.encryption, wanted) ? 'no-op' : 'update',
      dependsOn: [`${side}-bucket`, ...keyDependencies(ctx, [side])],
      after: wanted,
      ...(live.encryption && !sameEncryption(live.encryption, wanted) ? { note: `was ${live.encryption.algorithm}` } : {}),
    };
  }
  if (!live.encryption) {
    return { ...base, title: `Default encryption (SSE-S3) on ${bucket}`, action: 'create', dependsOn: [`${side}-bucket`], after: { algorithm: 'AES256' } };
  }
  return { ...base, title: `Default encryption on ${bucket}`, action: 'no-op', dependsOn: [`${side}-bucket`], after: live.encryption, note: `already ${live.encryption.algorithm}` };
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Does the trust policy already let S3 assume the role? Any Allow of sts:AssumeRole to a service list that names
 * s3.amazonaws.com counts, conditions included: a user who narrowed it (aws:SourceAccount) must not get it widened.
 */
export function trustsS3(policy: PolicyDocument | undefined): boolean {
  return (policy?.Statement ?? []).some((statement) => {
    const principal = statement.Principal;
    const services = principal && principal !== '*' ? asList(principal.Service) : [];
    return statement.Effect === 'Allow' && services.includes('s3.amazonaws.com') && asList(statement.Action).some((a) => a === 'sts:AssumeRole' || a === 'sts:*');
  });
}

function roleChanges(ctx: DocumentContext, live: LiveState, notes: string[]): Change[] {
  const { role } = live;
  const ours = roleArn(ctx.accounts.source, ctx.input.roleName) === role.arn;
  const changes: Change[] = [];
  if (!ours) {
    notes.push(`${ctx.input.source.bucket} already replicates with role ${role.arn}: a bucket has one replication role, so it is kept and given this rule's permissions as an inline policy of its own; --role-name is not used.`);
  }
  const trusted = trustsS3(role.trustPolicy);
  const trust = trusted
    ? role.trustPolicy!
    : { ...(role.trustPolicy ?? REPLICATION_TRUST_POLICY), Statement: [...(role.trustPolicy?.Statement ?? []), ...REPLICATION_TRUST_POLICY.Statement] };
  if (!ours && !trusted) {
    notes.push(`The trust policy of ${role.name} does not name s3.amazonaws.com: replication cannot assume it until it does. It is not our role, so the tool leaves its trust alone.`);
  }
  changes.push({
    id: 'replication-role',
    title: `Replication role ${role.name} (trusts s3.amazonaws.com)`,
    side: 'source',
    // A role we do not own keeps its trust policy as its owner wrote it.
    action: action(role.exists, trusted || !ours),
    resource: role.arn,
    dependsOn: [],
    kind: 'role',
    roleName: role.name,
    trustPolicy: role.exists ? trust : REPLICATION_TRUST_POLICY,
    ...(ours ? {} : { note: 'existing replication role kept' }),
  });
  const document = replicationRolePolicy(ctx);
  changes.push({
    id: 'replication-role-policy',
    title: `Least-privilege replication policy on ${role.name}`,
    side: 'source',
    action: action(!!role.inlinePolicy, samePolicy(role.inlinePolicy, document)),
    resource: role.arn,
    dependsOn: ['replication-role', ...keyDependencies(ctx)],
    kind: 'role-policy',
    roleName: role.name,
    policyName: rolePolicyName(ctx.input),
    document,
  });
  return changes;
}

function bucketPolicyChange(
  side: 'source' | 'destination',
  bucket: string,
  live: LiveBucket,
  ours: PolicyStatement[],
  owns: (sid: string | undefined) => boolean,
  dependsOn: string[],
  title: string,
): Change[] {
  const merged = mergePolicyStatements(live.policy, ours, owns);
  if (!live.policy && !merged) return [];
  const same = samePolicy(live.policy, merged);
  return [
    {
      id: `${side}-bucket-policy`,
      title,
      side,
      action: merged === undefined ? 'delete' : action(!!live.policy, same),
      resource: bucketArn(bucket),
      dependsOn,
      kind: 'bucket-policy',
      bucket,
      document: merged,
    },
  ];
}

function destinationPolicyChange(ctx: DocumentContext, live: LiveState): Change[] {
  const owns = ownsDestinationStatement(ctx.input.source.bucket);
  return bucketPolicyChange('destination', ctx.input.destination.bucket, live.destination, destinationPolicyStatements(ctx), owns, ['destination-bucket', 'replication-role'], `Destination bucket policy: ${live.role.name} may replicate into ${ctx.input.destination.bucket}`);
}

function sourcePolicyChange(ctx: DocumentContext, live: LiveState): Change[] {
  const owns = ownsSourceStatement(ctx.input.destination.bucket);
  const { input } = ctx;
  const parts = [
    ...(input.authorizedUsers.length > 0 ? [`${input.authorizedUsers.join(', ')} may list and read`] : []),
    ...input.uploaders.map((uploader) => `only ${uploader.split('/').pop()} may write under ${uploaderPrefix(input, uploader)}`),
    ...(input.preset === 'log-backup' ? [`CloudWatch Logs of account ${ctx.accounts.source} may write exports under ${exportPrefix(input)}`] : []),
  ];
  const title = parts.length > 0 ? `Source bucket policy: ${parts.join('; ')}` : 'Source bucket policy';
  return bucketPolicyChange('source', ctx.input.source.bucket, live.source, sourcePolicyStatements(ctx), owns, ['source-bucket'], title);
}

function replicationChange(ctx: DocumentContext, live: LiveState, options: PlanOptions, notes: string[]): Change {
  const { input } = ctx;
  const owns = ownsRule(input.destination.bucket);
  const existing = live.source.replication;
  const { configuration, upgradedV1Rules } = mergeReplicationRules(existing, replicationRules(ctx), live.role.arn, owns);
  if (upgradedV1Rules.length > 0) {
    notes.push(`Existing V1 replication rules ${upgradedV1Rules.join(', ')} are rewritten in the V2 form (same prefix, delete markers still replicated): S3 does not allow V1 and V2 rules together.`);
  }
  const dependsOn = ['source-versioning', 'destination-versioning', 'replication-role-policy', ...keyDependencies(ctx, ['destination'])];
  if (isCrossAccount(ctx.accounts)) dependsOn.push('destination-bucket-policy');
  return {
    id: 'replication-configuration',
    title: `Replication ${input.source.bucket} → ${input.destination.bucket}${input.rtc ? ' (RTC 15 min)' : ''}`,
    side: 'source',
    action: action(!!existing, !!existing && sameReplication(existing, configuration, options)),
    resource: bucketArn(input.source.bucket),
    dependsOn,
    kind: 'replication',
    bucket: input.source.bucket,
    configuration,
  };
}

type LiveRuleShape = ReplicationConfiguration['Rules'][number] & {
  ExistingObjectReplication?: { Status?: string };
  SourceSelectionCriteria?: { SseKmsEncryptedObjects?: { Status: string }; ReplicaModifications?: { Status?: string } };
};

/**
 * What GetBucketReplication may add to what was written, removed again: explicit "Disabled" defaults the tool never
 * sends (ExistingObjectReplication, ReplicaModifications) and `Filter: {}` for an empty prefix.
 */
export function withoutReadBackDefaults(config: ReplicationConfiguration): ReplicationConfiguration {
  const rules = (config.Rules as LiveRuleShape[]).map((rule) => {
    const { ExistingObjectReplication: existing, SourceSelectionCriteria: selection, ...rest } = rule;
    const out: LiveRuleShape = { ...rest };
    if (existing && existing.Status !== 'Disabled') out.ExistingObjectReplication = existing;
    if (selection) {
      const { ReplicaModifications: modifications, ...criteria } = selection;
      const kept = modifications && modifications.Status !== 'Disabled' ? { ...criteria, ReplicaModifications: modifications } : criteria;
      if (Object.keys(kept).length > 0) out.SourceSelectionCriteria = kept;
    }
    if (out.Filter && Object.keys(out.Filter).length === 0) out.Filter = { Prefix: '' };
    return out;
  });
  return { ...config, Rules: rules };
}

/** Compares configurations; where the endpoint does not echo the selection fields, the ID fingerprint stands in. */
export function sameReplication(live: ReplicationConfiguration, desired: ReplicationConfiguration, options: PlanOptions): boolean {
  if (options.replicationEchoIsFaithful) return sameDocument(withoutReadBackDefaults(live), desired);
  const strip = (config: ReplicationConfiguration): unknown => ({
    ...config,
    Rules: config.Rules.map(({ Filter: _f, DeleteMarkerReplication: _d, SourceSelectionCriteria: _s, ...rest }) => rest),
  });
  return sameDocument(strip(live), strip(desired));
}

function readerChanges(ctx: DocumentContext, live: LiveState, notes: string[]): Change[] {
  const document = readerIdentityPolicy(ctx);
  const policyName = readerPolicyName(ctx.input);
  const changes: Change[] = [];
  for (const user of ctx.input.authorizedUsers) {
    const ref = principalRef(user, ctx.accounts.destination);
    if (ref.accountId !== ctx.accounts.destination) {
      notes.push(`${ref.arn} is in account ${ref.accountId}, which this run has no profile for: the source bucket policy admits it, but its own account must allow the reads in an identity policy.`);
      continue;
    }
    const current = live.readers.find((reader) => reader.arn === ref.arn);
    changes.push({
      id: `reader-policy:${ref.name}`,
      title: `Identity policy letting ${ref.name} read both buckets`,
      side: 'destination',
      action: action(!!current?.policy, samePolicy(current?.policy, document)),
      resource: ref.arn,
      dependsOn: keyDependencies(ctx),
      kind: 'reader-policy',
      principalKind: ref.kind,
      principalName: ref.name,
      policyName,
      document,
    });
  }
  return changes;
}

const capital = (text: string): string => text[0]!.toUpperCase() + text.slice(1);
