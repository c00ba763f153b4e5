import { sameDocument } from '../plan/compare.js';
import { destinationPolicyStatements, sourcePolicyStatements } from '../plan/documents.js';
import { isCrossAccount, principalRef } from '../plan/names.js';
import { bucketStatementOwner, type StatementOwner } from '../plan/ownership.js';
import type { PolicyDocument, PolicyStatement } from '../plan/policy-types.js';
import { actionsOf, denyingStatements, describeGrants, grantsOf, grantsTo, missingGrants, type Principal } from './policy-eval.js';
import { type Check, fail, pass, RERUN_WIZARD, skip, type VerifyContext, warn } from './types.js';

/** The two bucket policies against the statements apply writes (destinationPolicyStatements, sourcePolicyStatements). Pure. */
export function bucketPolicyChecks(vc: VerifyContext): Check[] {
  return [destinationPolicyCheck(vc), ...sourcePolicyChecks(vc)];
}

/** How our own statements (by Sid) differ from the desired ones: missing, changed, or left over. */
function ownStatementDrift(live: PolicyDocument | undefined, desired: PolicyStatement[], owns: StatementOwner): string[] {
  const ours = (live?.Statement ?? []).filter((s) => owns(s));
  const drift: string[] = [];
  for (const statement of desired) {
    const current = ours.find((s) => s.Sid === statement.Sid);
    if (!current) drift.push(`${statement.Sid} is missing`);
    else if (!sameDocument(current, statement)) drift.push(`${statement.Sid} was changed`);
  }
  for (const statement of ours)
    if (!desired.some((s) => s.Sid === statement.Sid)) drift.push(`${statement.Sid} is not one replicate-setup writes for this setup`);
  return drift;
}

function destinationPolicyCheck(vc: VerifyContext): Check {
  const { input, live, accounts } = vc.prepared;
  const id = 'destination.policy';
  const bucket = input.destination.bucket;
  if (live.destination.ownership !== 'ours') return skip(id, `not checked: ${bucket} does not exist`);
  if (!isCrossAccount(accounts)) return skip(id, "not needed: both buckets are in one account, so the role's own policy lets it replicate");
  const role: Principal = { arn: live.role.arn, accountId: accounts.source };
  const desired = destinationPolicyStatements(vc.documents);
  const missing = missingGrants(live.destination.policy?.Statement ?? [], grantsOf(desired), role);
  if (missing.length > 0) {
    const what = live.destination.policy
      ? `the policy of ${bucket} does not let ${live.role.name} ${describeGrants(missing)}`
      : `${bucket} has no bucket policy, so ${live.role.name} (account ${accounts.source}) cannot replicate into it`;
    return fail(
      id,
      what,
      `${RERUN_WIZARD}: it writes replicate-setup's statements into the policy of ${bucket} (with profile ${input.destination.profile}, the owner).`,
    );
  }
  const drift = ownStatementDrift(live.destination.policy, desired, bucketStatementOwner(vc.documents, 'destination'));
  if (drift.length > 0) {
    return warn(
      id,
      `the policy of ${bucket} lets ${live.role.name} replicate, but ${drift.join('; ')}`,
      `${RERUN_WIZARD} to restore replicate-setup's statements.`,
    );
  }
  return pass(id, `the policy of ${bucket} lets ${live.role.name} replicate into it and override ownership`);
}

function sourcePolicyChecks(vc: VerifyContext): Check[] {
  const { input, live, accounts } = vc.prepared;
  const bucket = input.source.bucket;
  const readers = input.authorizedUsers.map((user) => ({ user, ref: principalRef(user, accounts.destination) }));
  const denied = vc.options.expectDenied.map((user) => ({ user, ref: principalRef(user, accounts.destination) }));
  if (live.source.ownership !== 'ours') {
    return [
      skip('source.policy', `not checked: ${bucket} does not exist`),
      ...readers.map(({ user }) => skip(`source.policy.reader:${user}`, `not checked: ${bucket} does not exist`)),
      ...denied.map(({ user }) => skip(`source.policy.denied:${user}`, `not checked: ${bucket} does not exist`)),
    ];
  }
  const desired = sourcePolicyStatements(vc.documents);
  const policy = live.source.policy;
  const drift = ownStatementDrift(policy, desired, bucketStatementOwner(vc.documents, 'source'));
  const checks: Check[] = [
    drift.length === 0
      ? pass(
          'source.policy',
          desired.length === 0
            ? `replicate-setup needs no statement in the policy of ${bucket}`
            : `replicate-setup's ${desired.length} statements in the policy of ${bucket} are as it writes them`,
        )
      : fail(
          'source.policy',
          `in the policy of ${bucket}, ${drift.join('; ')}`,
          `${RERUN_WIZARD} to restore replicate-setup's statements (other statements are kept).`,
        ),
  ];
  for (const { user, ref } of readers) {
    const needed = grantsOf(desired.filter((s) => typeof s.Principal === 'object' && [s.Principal.AWS].flat().includes(ref.arn)));
    const missing = missingGrants(policy?.Statement ?? [], needed, ref);
    // A Deny of the user's own: the wizard would find nothing to change, so "run wizard" would be an endless loop.
    const owns = bucketStatementOwner(vc.documents, 'source');
    const theirDenials = denyingStatements(policy?.Statement ?? [], missing, ref).filter((s) => !owns(s));
    checks.push(
      missing.length === 0
        ? pass(`source.policy.reader:${user}`, `the policy of ${bucket} lets ${user} list it and read its objects`)
        : theirDenials.length > 0
          ? fail(
              `source.policy.reader:${user}`,
              `the policy of ${bucket} denies ${user} ${describeGrants(missing)}: statement ${theirDenials.map((s) => s.Sid ?? '(no Sid)').join(', ')}, which is not replicate-setup's, refuses it (a Deny wins over replicate-setup's Allow)`,
              `replicate-setup will not remove a statement it did not write: narrow or remove ${theirDenials.map((s) => s.Sid ?? 'that statement').join(', ')} yourself (aws s3api put-bucket-policy --bucket ${bucket} --profile ${input.source.profile}), or drop --authorized-user ${user}.`,
            )
          : fail(
              `source.policy.reader:${user}`,
              `the policy of ${bucket} does not let ${user} ${describeGrants(missing)}`,
              `${RERUN_WIZARD} to grant ${user} the reads in the source bucket policy.`,
            ),
    );
  }
  for (const { user, ref } of denied) checks.push(deniedCheck(vc, user, ref));
  return checks;
}

/** An --expect-denied principal: the source bucket policy must grant it nothing, by name, through its account, or as anyone. */
function deniedCheck(vc: VerifyContext, user: string, principal: Principal): Check {
  const { input } = vc.prepared;
  const id = `source.policy.denied:${user}`;
  const bucket = input.source.bucket;
  const grants = grantsTo(vc.prepared.live.source.policy, principal);
  const describe = (list: typeof grants): string =>
    list.map(({ statement }) => `${statement.Sid ?? '(no Sid)'} allows ${actionsOf(statement).join(', ')}`).join('; ');
  const direct = grants.filter(({ match, statement }) => match === 'named' || (match === 'anyone' && statement.Condition === undefined));
  if (direct.length > 0) {
    const ours = direct.some(({ statement }) => bucketStatementOwner(vc.documents, 'source')(statement));
    return fail(
      id,
      `the policy of ${bucket} grants ${user}: ${describe(direct)}`,
      ours
        ? `${RERUN_WIZARD}: it rewrites replicate-setup's statements to name only the --authorized-user principals.`
        : `Remove ${user} (or the public grant) from those statements: aws s3api get-bucket-policy / put-bucket-policy --bucket ${bucket} --profile ${input.source.profile}.`,
    );
  }
  if (grants.length > 0) {
    return warn(
      id,
      `the policy of ${bucket} does not name ${user}, but ${describe(grants)} to ${grants.some((g) => g.match === 'account') ? `its whole account ${principal.accountId}` : 'anyone meeting a condition'}: ${user} is refused only if its own policies do not allow it`,
      `Grant named principals instead of the account or a condition, or check ${user}'s identity policies (replicate-setup verify --probe-profile ${user}=PROFILE).`,
    );
  }
  return pass(id, `the policy of ${bucket} grants ${user} nothing`);
}
