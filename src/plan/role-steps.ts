import type { ChangeOf } from './changes.js';
import { action, type PlanContext } from './context.js';
import { keyDependencies } from './diff-kms.js';
import { REPLICATION_TRUST_POLICY, replicationRolePolicy } from './documents.js';
import { samePolicy } from './merge.js';
import { roleArn } from './names.js';
import { retiredPolicy } from './ownership.js';
import type { PolicyDocument } from './policy-types.js';

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Does the trust policy already let S3 assume the role? Any Allow of sts:AssumeRole to a service list that names
 * s3.amazonaws.com counts, conditions included: a user who narrowed it (aws:SourceAccount) must not get it widened.
 */
export function trustsS3(policy: PolicyDocument | undefined): boolean {
  return (policy?.Statement ?? []).some((statement) => {
    const principal = statement.Principal;
    const services = principal && principal !== '*' ? asList(principal.Service) : [];
    return (
      statement.Effect === 'Allow' && services.includes('s3.amazonaws.com') && asList(statement.Action).some((a) => a === 'sts:AssumeRole' || a === 'sts:*')
    );
  });
}

/** Whether the role replication uses is the one --role-name names (else the source bucket already had one). */
const isOurRole = (pc: PlanContext): boolean => roleArn(pc.documents.accounts.source, pc.documents.input.roleName) === pc.live.role.arn;

export function roleSteps(pc: PlanContext): ChangeOf<'role'>[] {
  const { role } = pc.live;
  const ours = isOurRole(pc);
  if (!ours) {
    pc.notes.push(
      `${pc.documents.input.source.bucket} already replicates with role ${role.arn}: a bucket has one replication role, so it is kept and given this rule's permissions as an inline policy of its own; --role-name is not used.`,
    );
  }
  const trusted = trustsS3(role.trustPolicy);
  const trust = trusted
    ? role.trustPolicy!
    : { ...(role.trustPolicy ?? REPLICATION_TRUST_POLICY), Statement: [...(role.trustPolicy?.Statement ?? []), ...REPLICATION_TRUST_POLICY.Statement] };
  if (!ours && !trusted) {
    pc.notes.push(
      `The trust policy of ${role.name} does not name s3.amazonaws.com: replication cannot assume it until it does. It is not our role, so the tool leaves its trust alone.`,
    );
  }
  return [
    {
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
    },
  ];
}

export function rolePolicySteps(pc: PlanContext): ChangeOf<'role-policy'>[] {
  const { role } = pc.live;
  const document = replicationRolePolicy(pc.documents);
  const renamed = retiredPolicy(pc.documents, 'rolePolicy', role.legacyInlinePolicy);
  return [
    {
      id: 'replication-role-policy',
      title: `Least-privilege replication policy on ${role.name}`,
      side: 'source',
      action: renamed ? 'update' : action(!!role.inlinePolicy, samePolicy(role.inlinePolicy, document)),
      ...(renamed ?? {}),
      resource: role.arn,
      dependsOn: ['replication-role', ...keyDependencies(pc.documents)],
      kind: 'role-policy',
      roleName: role.name,
      policyName: pc.documents.names.rolePolicy,
      document,
    },
  ];
}
