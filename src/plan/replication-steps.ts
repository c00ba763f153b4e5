import type { ReplicationRule as S3ReplicationRule } from '@aws-sdk/client-s3';
import { InputError } from '../errors.js';
import type { ChangeOf, StepId } from './changes.js';
import { sameDocument } from './compare.js';
import { action, type PlanContext, type PlanOptions } from './context.js';
import { keyDependencies, keyPolicyDependencies } from './diff-kms.js';
import { missingConfiguredRole } from './live.js';
import { type LiveReplicationConfiguration, mergeReplicationRules, type ReplicationConfiguration } from './merge.js';
import { bucketArn, isCrossAccount, RULE_ID_PREFIX } from './names.js';
import { ruleOwner } from './ownership.js';
import { replicationRules } from './replication-rules.js';

/** Our rules merged into the source bucket's replication configuration; every other rule keeps its place. */
export function replicationSteps(pc: PlanContext): ChangeOf<'replication'>[] {
  const ctx = pc.documents;
  const { input } = ctx;
  const owns = ruleOwner(ctx);
  const existing = pc.live.source.replication;
  const { configuration, upgradedV1Rules } = mergeReplicationRules(existing, replicationRules(ctx), pc.live.role.arn, owns);
  refuseAboveRuleLimit(input.source.bucket, existing?.Rules.length ?? 0, configuration.Rules.length);
  const unchanged = !!existing && sameReplication(existing, configuration, pc.options);
  if (existing && !unchanged && !pc.options.replicationEchoIsFaithful) noteLossyEcho(pc, input.source.bucket, existing);
  const missingRole = missingConfiguredRole(pc.live);
  if (missingRole) {
    pc.notes.push(
      `The replication configuration of ${input.source.bucket} names role ${missingRole}, which does not exist, so nothing replicates: the configuration is moved to ${pc.live.role.arn} (--role-name), which the destination policy names too. Other rules in it now use that role as well, which grants only this pair's permissions.`,
    );
  }
  if (upgradedV1Rules.length > 0) {
    pc.notes.push(
      `Existing V1 replication rules ${upgradedV1Rules.join(', ')} are rewritten in the V2 form (same prefix, delete markers still replicated): S3 does not allow V1 and V2 rules together.`,
    );
  }
  const dependsOn: StepId[] = [
    'source-versioning',
    'destination-versioning',
    'replication-role-policy',
    ...keyDependencies(ctx, ['destination']),
    ...keyPolicyDependencies(ctx, pc.live),
  ];
  if (isCrossAccount(ctx.accounts)) dependsOn.push('destination-bucket-policy');
  return [
    {
      id: 'replication-configuration',
      title: `Replication ${input.source.bucket} → ${input.destination.bucket}${input.rtc ? ' (RTC 15 min)' : ''}`,
      side: 'source',
      action: action(!!existing, unchanged),
      resource: bucketArn(input.source.bucket),
      dependsOn,
      kind: 'replication',
      bucket: input.source.bucket,
      configuration,
    },
  ];
}

/** S3's maximum: PutBucketReplication refuses more, which would fail the run at its last write, after all the others. */
export const MAX_REPLICATION_RULES = 1_000;

function refuseAboveRuleLimit(bucket: string, existing: number, merged: number): void {
  if (merged <= MAX_REPLICATION_RULES) return;
  throw new InputError([
    {
      flag: '--source-bucket',
      message:
        `${bucket} already has ${existing} replication rules; with replicate-setup's it would have ${merged}, above S3's limit of ${MAX_REPLICATION_RULES.toLocaleString('en-US')} rules per replication configuration. ` +
        'Remove rules you no longer need from its configuration (aws s3api put-bucket-replication), or replicate from another bucket.',
    },
  ]);
}

/**
 * An endpoint that does not echo rules as written (moto drops Filter and DeleteMarkerReplication) can only be given
 * back the other rules as it reports them, since PutBucketReplication replaces the whole configuration. A run whose
 * own rule is unchanged writes nothing at all; one that must write says which rules it re-sends from that copy.
 */
function noteLossyEcho(pc: PlanContext, bucket: string, existing: LiveReplicationConfiguration): void {
  const theirs = existing.Rules.filter((rule) => !(rule.ID ?? '').startsWith(`${RULE_ID_PREFIX}:`)).map((rule) => rule.ID ?? '(unnamed)');
  if (theirs.length === 0) return;
  pc.notes.push(
    `This endpoint does not return replication rules as they were written (it drops each rule's Filter and DeleteMarkerReplication): writing the configuration of ${bucket} re-sends ${theirs.join(', ')} as it reports them. On AWS every field is read back and kept.`,
  );
}

/**
 * What GetBucketReplication may add to what was written, removed again: explicit "Disabled" defaults the tool never
 * sends (ExistingObjectReplication, ReplicaModifications) and `Filter: {}` for an empty prefix.
 */
export function withoutReadBackDefaults(config: LiveReplicationConfiguration): LiveReplicationConfiguration {
  const rules = config.Rules.map((rule) => {
    const { ExistingObjectReplication: existing, SourceSelectionCriteria: selection, ...rest } = rule;
    const out: S3ReplicationRule = rest;
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
export function sameReplication(live: LiveReplicationConfiguration, desired: ReplicationConfiguration, options: PlanOptions): boolean {
  if (options.replicationEchoIsFaithful) return sameDocument(withoutReadBackDefaults(live), desired);
  const strip = (config: LiveReplicationConfiguration): unknown => ({
    ...config,
    Rules: config.Rules.map(({ Filter: _f, DeleteMarkerReplication: _d, SourceSelectionCriteria: _s, ...rest }) => rest),
  });
  return sameDocument(strip(live), strip(desired));
}
