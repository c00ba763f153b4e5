import type { ReplicateSetupError } from '../errors.js';
import { replicationRolePolicy } from '../plan/documents.js';
import { bucketArn, ROLE_POLICY_NAME_PREFIX } from '../plan/names.js';
import { KNOWN_AFTER_APPLY } from '../plan/pending.js';
import type { PolicyStatement } from '../plan/policy-types.js';
import { trustsS3 } from '../plan/role-steps.js';
import type { NamedPolicy } from './identity-policies.js';
import { actionsOf, describeGrants, grantsOf, hasWildcard, missingGrants, resourcesOf, trustDenies } from './policy-eval.js';
import { type Check, fail, pass, RERUN_WIZARD, skip, type VerifyContext, warn } from './types.js';

/**
 * The replication role: in the source account, trusted by S3, allowed every action replication needs (compared with
 * the very document apply writes), and allowed nothing more. `policies` is every policy on the role, or the error
 * that kept verify from reading them.
 */
export function roleChecks(vc: VerifyContext, policies: NamedPolicy[] | ReplicateSetupError): Check[] {
  const { live, accounts, input } = vc.prepared;
  const role = live.role;
  const ours = role.name === input.roleName && role.arn.includes(`:${accounts.source}:`);
  const kept = ours ? '' : ' (the role the source bucket already replicates with; --role-name is not used)';
  if (!role.exists) {
    return [
      fail('role.exists', `replication role ${role.arn} does not exist`, `${RERUN_WIZARD} to create it.`),
      ...['role.trust', 'role.permissions', 'role.least-privilege'].map((id) => skip(id, `not checked: role ${role.name} does not exist`)),
    ];
  }
  const checks: Check[] = [];
  if (!role.arn.includes(`:${accounts.source}:`)) {
    checks.push(
      fail(
        'role.exists',
        `replication role ${role.arn} is not in the source account ${accounts.source}: S3 assumes only a role of the bucket owner's account`,
        `${RERUN_WIZARD}, after removing the replication configuration that names it.`,
      ),
    );
  } else {
    checks.push(pass('role.exists', `replication role ${role.name} exists in account ${accounts.source}${kept}`));
  }
  const denials = trustDenies(role.trustPolicy, 's3.amazonaws.com');
  checks.push(
    denials.length > 0
      ? fail(
          'role.trust',
          `the trust policy of ${role.name} denies s3.amazonaws.com sts:AssumeRole (statement ${denials.map((d) => d.Sid ?? '(no Sid)').join(', ')}); a Deny wins over any Allow`,
          `Remove that Deny from the trust policy yourself (aws iam update-assume-role-policy --role-name ${role.name}): replicate-setup never removes a statement it did not write.`,
        )
      : trustsS3(role.trustPolicy)
        ? pass('role.trust', `the trust policy of ${role.name} lets s3.amazonaws.com assume it`)
        : fail(
            'role.trust',
            `the trust policy of ${role.name} does not let s3.amazonaws.com assume it (no Allow of sts:AssumeRole to that service)`,
            `${RERUN_WIZARD} to add that statement to the trust policy (for a role the tool did not create, add it yourself).`,
          ),
  );
  if (!Array.isArray(policies)) {
    const unread = `could not read the policies of ${role.name}: ${policies.message}`;
    return [
      ...checks,
      warn('role.permissions', unread, policies.remedy ?? 'Run again with a profile allowed to read IAM.'),
      warn('role.least-privilege', unread, policies.remedy ?? 'Run again with a profile allowed to read IAM.'),
    ];
  }
  return [...checks, permissionsCheck(vc, policies), leastPrivilegeCheck(vc, policies)];
}

function permissionsCheck(vc: VerifyContext, policies: NamedPolicy[]): Check {
  const { role } = vc.prepared.live;
  const needed = grantsOf(replicationRolePolicy(vc.documents).Statement);
  const unknownKeys = needed.filter((grant) => grant.resource === KNOWN_AFTER_APPLY);
  if (unknownKeys.length > 0) {
    return fail(
      'role.permissions',
      `the KMS keys replication needs (${describeGrants(unknownKeys)}) were not found`,
      `${RERUN_WIZARD} to create the keys, or pass --source-kms-key / --dest-kms-key naming existing ones.`,
    );
  }
  const missing = missingGrants(
    policies.flatMap((p) => p.document.Statement),
    needed,
  );
  if (missing.length === 0) {
    return pass(
      'role.permissions',
      `${role.name} may do all ${needed.length} actions replication needs, on these buckets${vc.documents.kmsKeys ? ' and keys' : ''}`,
    );
  }
  return fail(
    'role.permissions',
    `${role.name} is not allowed ${describeGrants(missing)}`,
    `${RERUN_WIZARD} to restore its inline policy ${vc.documents.names.rolePolicy}.`,
  );
}

/** Every Allow on the role must stay within the actions replication needs and the buckets (and keys) it touches. */
function leastPrivilegeCheck(vc: VerifyContext, policies: NamedPolicy[]): Check {
  const { input, live } = vc.prepared;
  const neededActions = new Set(replicationRolePolicy(vc.documents).Statement.flatMap((s) => actionsOf(s).map((a) => a.toLowerCase())));
  // A source may replicate to several destinations with one role: every destination of its rules is in scope.
  const buckets = new Set([
    input.source.bucket,
    input.destination.bucket,
    ...(live.source.replication?.Rules ?? [])
      .flatMap((r) => (r.Destination?.Bucket ? [r.Destination.Bucket] : []))
      .map((bucket) => bucket.replace(/^arn:aws[a-z-]*:s3:::/, '')),
  ]);
  const inScope = (resource: string): boolean =>
    [...buckets].some((bucket) => resource === bucketArn(bucket) || resource.startsWith(`${bucketArn(bucket)}/`)) ||
    (resource.startsWith('arn:aws:kms:') && !hasWildcard(resource));
  // One role may serve several setups of the source account, each with its own inline policy: each setup's verify
  // judges its own part, so another setup's replication policy is neither blamed here nor suggested for deletion.
  const ownPolicy = `inline ${vc.documents.names.rolePolicy}`;
  const otherSetups = policies.filter((p) => p.source.startsWith(`inline ${ROLE_POLICY_NAME_PREFIX}-`) && p.source !== ownPolicy);
  const judged = policies.filter((p) => !otherSetups.includes(p));
  const issues: string[] = [];
  for (const policy of judged) {
    for (const statement of policy.document.Statement.filter((s: PolicyStatement) => s.Effect === 'Allow')) {
      const broad = [
        ...actionsOf(statement).filter((a) => statement.NotAction !== undefined || hasWildcard(a) || !neededActions.has(a.toLowerCase())),
        ...resourcesOf(statement)
          .filter((r) => statement.NotResource !== undefined || !inScope(r))
          .map((r) => `resource ${r}`),
      ];
      if (broad.length > 0) issues.push(`${policy.source} allows ${broad.join(', ')}`);
    }
  }
  if (issues.length === 0) {
    const shared =
      otherSetups.length > 0 ? ` (${otherSetups.length} other setup(s) share this role, each with its own inline policy, checked by its own verify)` : '';
    return pass('role.least-privilege', `${live.role.name} is allowed nothing beyond replication of ${[...buckets].join(', ')}${shared}`);
  }
  const own = issues.some((issue) => issue.startsWith(`${ownPolicy} `));
  return fail(
    'role.least-privilege',
    `${live.role.name} is allowed more than replication needs: ${issues.join('; ')}`,
    own
      ? `${RERUN_WIZARD} to restore ${ownPolicy.replace('inline ', '')}, and remove or narrow any other policy listed.`
      : `Remove or narrow the policies listed (aws iam delete-role-policy / detach-role-policy --role-name ${live.role.name}): replicate-setup's inline policy ${vc.documents.names.rolePolicy} already grants exactly what replication needs.`,
  );
}
