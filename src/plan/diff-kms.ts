import type { ChangeOf, StepId } from './changes.js';
import type { DocumentContext } from './documents.js';
import { defaultKeyPolicy, destinationKeyStatements, sourceKeyStatements } from './key-policies.js';
import type { DefaultEncryption, LiveKmsKey, LiveState } from './live.js';
import { mergePolicyStatements, samePolicy } from './merge.js';
import { keyStatementOwner } from './ownership.js';
import { arnText, KNOWN_AFTER_APPLY } from './pending.js';
import type { PolicyStatement } from './policy-types.js';

/**
 * The KMS part of the plan (sse-kms only): a key per bucket, found or created, and our statements merged into each
 * key's policy. Pure. A key that does not exist yet has no ARN: documents carry KNOWN_AFTER_APPLY instead, and apply
 * plans those documents again once the key exists.
 */

export { KNOWN_AFTER_APPLY } from './pending.js';

type KeySide = 'source' | 'destination';
const SIDES: KeySide[] = ['source', 'destination'];

export const kmsKeyStep = (side: KeySide): StepId => `${side}-kms-key`;
export const kmsKeyPolicyStep = (side: KeySide): StepId => `${side}-kms-key-policy`;

/** The steps a change that names the key ARN must wait for; none without sse-kms. */
export const keyDependencies = (ctx: DocumentContext, sides: KeySide[] = SIDES): StepId[] => (ctx.kmsKeys ? sides.map(kmsKeyStep) : []);

/**
 * The key-policy steps a change that uses both keys must wait for: a rule live before the destination key lets the role
 * encrypt fails, for good, every object written meanwhile. Only the policy steps the plan has (one for a shared key,
 * none for an AWS managed key).
 */
export const keyPolicyDependencies = (ctx: DocumentContext, live: LiveState): StepId[] => kmsKeyPolicyChanges(ctx, live, []).map((change) => change.id);

/** Default encryption wanted on a bucket: its key with Bucket Key on; undefined (keep what is there) without sse-kms. */
export function wantedEncryption(ctx: DocumentContext, side: KeySide): DefaultEncryption | undefined {
  return ctx.kmsKeys ? { algorithm: 'aws:kms', kmsKeyId: arnText(ctx.kmsKeys[side]), bucketKey: true } : undefined;
}

/** S3 may echo the key as an ARN or a bare key id. */
export function sameEncryption(live: DefaultEncryption, wanted: DefaultEncryption): boolean {
  if (live.algorithm !== wanted.algorithm || !!live.bucketKey !== !!wanted.bucketKey) return false;
  const [a, b] = [live.kmsKeyId ?? '', wanted.kmsKeyId ?? ''];
  return a === b || b.endsWith(`/${a}`) || a.endsWith(`/${b}`);
}

const bucketOf = (ctx: DocumentContext, side: KeySide): string => ctx.input[side].bucket;

const FOUND_BY: Record<NonNullable<LiveKmsKey['foundBy']>, string> = {
  flag: 'given by flag',
  bucket: 'already the bucket default key, kept',
  // Read back by the alias this tool gives its keys: made by this run or an earlier one, which we cannot tell apart.
  tool: 'made by replicate-setup',
};

/** One step per side: create the key (and its alias), or note the key that is used. */
export function kmsKeyChanges(ctx: DocumentContext, live: LiveState): ChangeOf<'kms-key'>[] {
  if (!ctx.kmsKeys || !live.kms) return [];
  return SIDES.map((side): ChangeOf<'kms-key'> => {
    const key = live.kms![side];
    const bucket = bucketOf(ctx, side);
    const base = {
      id: kmsKeyStep(side),
      side,
      dependsOn: [],
      kind: 'kms-key' as const,
      alias: key.alias,
      description: `replicate-setup: default encryption of ${bucket}`,
    };
    if (!key.arn) {
      // The alias ARN names the key before it exists; the key ARN itself is known only after apply.
      const aliasArn = `arn:aws:kms:${ctx.input[side].region}:${ctx.accounts[side]}:${key.alias}`;
      return {
        ...base,
        title: `KMS key ${key.alias} for ${bucket}, ARN ${KNOWN_AFTER_APPLY}`,
        action: 'create',
        resource: aliasArn,
        policy: defaultKeyPolicy(ctx.accounts[side]),
      };
    }
    const how = key.awsManaged ? 'AWS managed' : FOUND_BY[key.foundBy ?? 'flag'];
    return { ...base, title: `KMS key ${key.alias} for ${bucket}`, action: 'no-op', resource: key.arn, note: how };
  });
}

/**
 * Our statements merged into each key policy. AWS-managed keys are skipped (their policy cannot change; preflight
 * allows them only inside one account, where IAM policies suffice). A key used by both buckets gets one merged step.
 */
export function kmsKeyPolicyChanges(ctx: DocumentContext, live: LiveState, notes: string[]): ChangeOf<'kms-key-policy'>[] {
  if (!ctx.kmsKeys || !live.kms) return [];
  const kms = live.kms;
  const statements: Record<KeySide, PolicyStatement[]> = { source: sourceKeyStatements(ctx), destination: destinationKeyStatements(ctx) };
  const shared = !!kms.source.arn && kms.source.arn === kms.destination.arn;
  const groups: { side: KeySide; sides: KeySide[] }[] = shared
    ? [{ side: 'source', sides: ['source', 'destination'] }]
    : SIDES.map((side) => ({ side, sides: [side] }));
  const changes: ChangeOf<'kms-key-policy'>[] = [];
  for (const { side, sides } of groups) {
    const key = kms[side];
    if (key.awsManaged) {
      notes.push(
        `${key.alias} is an AWS managed key: its policy cannot be changed, so ${sides.map((s) => bucketOf(ctx, s)).join(' and ')} rely on IAM policies alone (enough inside one account).`,
      );
      continue;
    }
    const current = key.arn ? key.policy : defaultKeyPolicy(ctx.accounts[side]);
    const document = mergePolicyStatements(
      current,
      sides.flatMap((s) => statements[s]),
      keyStatementOwner(ctx),
    )!;
    changes.push({
      id: kmsKeyPolicyStep(side),
      title: `Key policy of ${key.alias}: ${keyPolicyPurpose(ctx, sides)}`,
      side,
      action: !key.arn ? 'create' : samePolicy(current, document) ? 'no-op' : 'update',
      resource: key.arn ?? KNOWN_AFTER_APPLY,
      dependsOn: [...sides.map(kmsKeyStep), 'replication-role'],
      kind: 'kms-key-policy',
      keyId: key.arn ?? KNOWN_AFTER_APPLY,
      document,
    });
  }
  if (shared) notes.push(`${kms.source.alias} encrypts both buckets: its policy gets the statements of both sides in one step.`);
  return changes;
}

function keyPolicyPurpose(ctx: DocumentContext, sides: KeySide[]): string {
  const role = ctx.replicationRoleArn.split('/').pop();
  const readers = ctx.input.authorizedUsers.map((user) => user.split('/').pop()).join(', ');
  const parts = [sides.includes('destination') ? `${role} may encrypt replicas` : `${role} may decrypt what it replicates`];
  if (readers) parts.push(`${readers} may decrypt`);
  if (sides.includes('source') && ctx.input.uploaders.length > 0) parts.push('uploaders may encrypt');
  if (sides.includes('source') && ctx.input.preset === 'log-backup') parts.push('CloudWatch Logs may encrypt exports');
  return parts.join(', ');
}
