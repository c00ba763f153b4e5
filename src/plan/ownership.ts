import type { ReplicationRule as S3ReplicationRule } from '@aws-sdk/client-s3';
import type { DocumentContext } from './documents.js';
import { bucketArn, isRuleOfSetup, isSidOfSetup, legacyPolicyNames, RULE_ID_PREFIX, ruleBaseId, SID_PREFIX, sidPart } from './names.js';
import type { PolicyDocument, PolicyStatement } from './policy-types.js';

/**
 * Which statements and rules belong to this setup: those carrying its id, and those the previous release wrote for
 * this very pair (adopted once, then rewritten under the new names). The previous release named things after folded
 * bucket names, which two pairs can share, so its names are matched by equality with this pair's and the content must
 * name this pair's own role or buckets too.
 */
export type StatementOwner = (statement: PolicyStatement) => boolean;
export type RuleOwner = (rule: Pick<S3ReplicationRule, 'ID' | 'Destination'>) => boolean;

/** The AWS principals a statement names, one or many. */
export const principalsOf = (statement: PolicyStatement): string[] => {
  const aws = statement.Principal && statement.Principal !== '*' ? statement.Principal.AWS : undefined;
  return aws === undefined ? [] : Array.isArray(aws) ? aws : [aws];
};

/** The statement names this bucket's ARN itself (not one that merely starts the same) in its resources or conditions. */
const namesBucket = (statement: PolicyStatement, bucket: string): boolean => {
  const arn = bucketArn(bucket);
  const text = JSON.stringify([statement.Resource, statement.Condition ?? null]);
  return text.includes(`"${arn}"`) || text.includes(`"${arn}/`);
};

/** The previous release's Sids of this pair, given today's flags. */
function legacySids(ctx: DocumentContext): { source: string[]; destination: string[]; key: string[] } {
  const { source, destination } = ctx.input;
  const to = `To${sidPart(destination.bucket)}`;
  const pair = `${sidPart(source.bucket)}To${sidPart(destination.bucket)}`;
  const fences = ctx.input.uploaders.map((uploader) => `OnlyUploader${sidPart(uploader.split('/').pop()!)}`);
  return {
    source: ['AuthorizedList', 'AuthorizedRead', 'LogsExportAcl', 'LogsExportWrite', ...fences].map((name) => `${SID_PREFIX}${name}${to}`),
    destination: ['Replicas', 'Versioning'].map((name) => `${SID_PREFIX}${name}From${sidPart(source.bucket)}`),
    key: ['ReplicationDecrypt', 'SourceReaderDecrypt', 'UploaderEncrypt', 'LogsExport', 'ReplicaEncrypt', 'ReplicaReaderDecrypt'].map(
      (name) => `${SID_PREFIX}${name}${pair}`,
    ),
  };
}

/** This setup's statements in the source or destination bucket policy. */
export function bucketStatementOwner(ctx: DocumentContext, side: 'source' | 'destination'): StatementOwner {
  const { setupId } = ctx.names;
  const legacy = legacySids(ctx)[side];
  return (statement) => {
    if (isSidOfSetup(setupId, statement.Sid)) return true;
    if (!statement.Sid || !legacy.includes(statement.Sid)) return false;
    // The destination's grant names the pair's role; the source's statements name its destination nowhere, so the
    // Sid (which names the destination) is all there is.
    return side === 'destination' ? principalsOf(statement).includes(ctx.replicationRoleArn) : true;
  };
}

/** This setup's statements in a KMS key policy (one key may serve several setups). */
export function keyStatementOwner(ctx: DocumentContext): StatementOwner {
  const { setupId } = ctx.names;
  const legacy = legacySids(ctx).key;
  const { source, destination } = ctx.input;
  return (statement) => {
    if (isSidOfSetup(setupId, statement.Sid)) return true;
    if (!statement.Sid || !legacy.includes(statement.Sid)) return false;
    return (
      principalsOf(statement).includes(ctx.replicationRoleArn) ||
      namesBucket(statement, source.bucket) ||
      namesBucket(statement, destination.bucket) ||
      !statement.Condition
    );
  };
}

/** This setup's rules in the source bucket's replication configuration. */
export function ruleOwner(ctx: DocumentContext): RuleOwner {
  const { setupId } = ctx.names;
  const legacyBase = `${RULE_ID_PREFIX}:${ctx.input.destination.bucket}`;
  const destination = bucketArn(ctx.input.destination.bucket);
  return (rule) => {
    if (isRuleOfSetup(setupId, rule.ID)) return true;
    const base = ruleBaseId(rule.ID);
    const legacyShape = base === legacyBase || (base?.startsWith(`${legacyBase}:`) === true && !/^[0-9a-f]{12}(:|$)/.test(base.slice(legacyBase.length + 1)));
    // The previous release's rule IDs named only the destination: its rules to this destination are this pair's.
    return legacyShape && rule.Destination?.Bucket === destination;
  };
}

/**
 * A policy under the previous release's inline name is this pair's when it names both of the pair's buckets: that
 * name was cut at 128 characters, so two long pairs could share it.
 */
export function isLegacyPolicyOfPair(document: PolicyDocument | undefined, ctx: DocumentContext): boolean {
  if (!document) return false;
  const resources = JSON.stringify(document.Statement.map((statement) => statement.Resource ?? null));
  return [ctx.input.source.bucket, ctx.input.destination.bucket].every((bucket) => resources.includes(`"${bucketArn(bucket)}`));
}

/** The previous release's name of an inline policy of this pair to delete once the new one is written, if any. */
export function retiredPolicy(
  ctx: DocumentContext,
  which: 'rolePolicy' | 'readerPolicy',
  legacy: PolicyDocument | undefined,
): { retire: string; note: string } | undefined {
  if (!isLegacyPolicyOfPair(legacy, ctx)) return undefined;
  const retire = legacyPolicyNames(ctx.input)[which];
  return { retire, note: `renamed from ${retire} (the previous release's name)` };
}
