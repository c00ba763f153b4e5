import type { ChangeOf, StepId } from './changes.js';
import { action, type PlanContext } from './context.js';
import { keyDependencies } from './diff-kms.js';
import { type DocumentContext, readerIdentityPolicy } from './documents.js';
import type { LiveReader } from './live.js';
import { samePolicy } from './merge.js';
import { legacyPolicyNames, type PrincipalRef, principalRef } from './names.js';
import { retiredPolicy } from './ownership.js';

/** Each authorised reader of the destination account gets the identity policy cross-account reads need. */
export function readerPolicySteps(pc: PlanContext): ChangeOf<'reader-policy'>[] {
  const ctx = pc.documents;
  const document = readerIdentityPolicy(ctx);
  const policyName = ctx.names.readerPolicy;
  const changes: ChangeOf<'reader-policy'>[] = [];
  for (const user of ctx.input.authorizedUsers) {
    const ref = principalRef(user, ctx.accounts.destination);
    if (ref.accountId !== ctx.accounts.destination) {
      pc.notes.push(
        `${ref.arn} is in account ${ref.accountId}, which this run has no profile for: the source bucket policy admits it, but its own account must allow the reads in an identity policy.`,
      );
      continue;
    }
    const current = pc.live.readers.find((reader) => reader.arn === ref.arn);
    const renamed = retiredPolicy(ctx, 'readerPolicy', current?.legacyPolicy);
    changes.push({
      id: `reader-policy:${ref.name}`,
      title: `Identity policy letting ${ref.name} read both buckets`,
      side: 'destination',
      action: renamed ? 'update' : action(!!current?.policy, samePolicy(current?.policy, document)),
      ...(renamed ?? {}),
      resource: ref.arn,
      dependsOn: keyDependencies(ctx),
      kind: 'reader-policy',
      principalKind: ref.kind,
      principalName: ref.name,
      policyName,
      document,
    });
  }
  return [...changes, ...droppedReaderRemovals(pc)];
}

/**
 * The identity policy of each reader this setup's statements still name though the flags no longer give it: the
 * source bucket policy drops the reader, and the policy alone still lets it read the destination bucket (in its own
 * account) and, in a setup within one account, the source.
 */
export const droppedReaderRemovals = (pc: PlanContext): ChangeOf<'reader-policy'>[] =>
  (pc.live.namedReaders ?? [])
    .flatMap((reader) => readerPolicyRemoval(pc.documents, reader, reader, []))
    .map((change) => ({ ...change, note: 'no longer an --authorized-user' }));

/** A reader's identity policy for this pair deleted (or its previous release's name, while that is still there). */
export function readerPolicyRemoval(
  ctx: DocumentContext,
  ref: PrincipalRef,
  reader: Pick<LiveReader, 'policy' | 'legacyPolicy'> | undefined,
  dependsOn: StepId[],
): ChangeOf<'reader-policy'>[] {
  if (!reader?.policy && !reader?.legacyPolicy) return [];
  return [
    {
      id: `reader-policy:${ref.name}`,
      title: `Identity policy of ${ref.name} for this pair`,
      side: 'destination',
      action: 'delete',
      resource: ref.arn,
      dependsOn,
      kind: 'reader-policy',
      principalKind: ref.kind,
      principalName: ref.name,
      policyName: reader.policy ? ctx.names.readerPolicy : legacyPolicyNames(ctx.input).readerPolicy,
      document: reader.policy ?? reader.legacyPolicy!,
    },
  ];
}
