import type { ChangeOf, Side, StepId } from './changes.js';
import { action, type PlanContext } from './context.js';
import { destinationPolicyStatements, exportPrefix, sourcePolicyStatements, uploaderPrefix } from './documents.js';
import { mergePolicyStatements, samePolicy } from './merge.js';
import { bucketArn } from './names.js';
import { bucketStatementOwner, type StatementOwner } from './ownership.js';
import type { PolicyStatement } from './policy-types.js';
import { droppedReaderRemovals } from './reader-steps.js';

/** Our statements merged into each bucket's policy; everybody else's statements stay as they are. */
export const bucketPolicySteps = (pc: PlanContext): ChangeOf<'bucket-policy'>[] => [...destinationPolicyStep(pc), ...sourcePolicyStep(pc)];

function bucketPolicyStep(
  pc: PlanContext,
  side: Side,
  ours: PolicyStatement[],
  owns: StatementOwner,
  dependsOn: StepId[],
  title: string,
): ChangeOf<'bucket-policy'>[] {
  const bucket = pc.documents.input[side].bucket;
  const live = pc.live[side];
  const merged = mergePolicyStatements(live.policy, ours, owns);
  if (!live.policy && !merged) return [];
  return [
    {
      id: `${side}-bucket-policy`,
      title,
      side,
      action: merged === undefined ? 'delete' : action(!!live.policy, samePolicy(live.policy, merged)),
      resource: bucketArn(bucket),
      dependsOn,
      kind: 'bucket-policy',
      bucket,
      document: merged,
    },
  ];
}

function destinationPolicyStep(pc: PlanContext): ChangeOf<'bucket-policy'>[] {
  const ctx = pc.documents;
  const owns = bucketStatementOwner(ctx, 'destination');
  const title = `Destination bucket policy: ${pc.live.role.name} may replicate into ${ctx.input.destination.bucket}`;
  return bucketPolicyStep(pc, 'destination', destinationPolicyStatements(ctx), owns, ['destination-bucket', 'replication-role'], title);
}

function sourcePolicyStep(pc: PlanContext): ChangeOf<'bucket-policy'>[] {
  const ctx = pc.documents;
  const { input } = ctx;
  const owns = bucketStatementOwner(ctx, 'source');
  const parts = [
    ...(input.authorizedUsers.length > 0 ? [`${input.authorizedUsers.join(', ')} may list and read`] : []),
    ...input.uploaders.map((uploader) => `only ${uploader.split('/').pop()} may write under ${uploaderPrefix(input, uploader)}`),
    ...(input.preset === 'log-backup' ? [`CloudWatch Logs of account ${ctx.accounts.source} may write exports under ${exportPrefix(input)}`] : []),
  ];
  const title = parts.length > 0 ? `Source bucket policy: ${parts.join('; ')}` : 'Source bucket policy';
  // A dropped reader's statements go once its policy has: they are how a run stopped between the two finds it again.
  const dropped = droppedReaderRemovals(pc).map((change) => change.id);
  return bucketPolicyStep(pc, 'source', sourcePolicyStatements(ctx), owns, ['source-bucket', ...dropped], title);
}
