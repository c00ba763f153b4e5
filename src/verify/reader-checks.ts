import { translateAwsError } from '../aws/errors.js';
import type { ReplicateSetupError } from '../errors.js';
import { readerIdentityPolicy } from '../plan/documents.js';
import { type PrincipalRef, principalRef } from '../plan/names.js';
import { KNOWN_AFTER_APPLY } from '../plan/pending.js';
import { type NamedPolicy, rolePolicies, userPolicies } from './identity-policies.js';
import { describeGrants, grantsOf, missingGrants } from './policy-eval.js';
import { type Check, fail, pass, RERUN_WIZARD, skip, type VerifyContext, warn } from './types.js';

/** A read for a check: its failure is kept (translated, with a remedy) for the check to report, not thrown. */
export async function settle<T>(run: () => Promise<T>, doing: string, profile: string | undefined): Promise<T | ReplicateSetupError> {
  try {
    return await run();
  } catch (error) {
    return translateAwsError(error, { doing, profile });
  }
}

export const principalPolicies = (
  vc: VerifyContext,
  side: 'source' | 'destination',
  ref: Pick<PrincipalRef, 'kind' | 'name'>,
): Promise<NamedPolicy[] | ReplicateSetupError> => {
  const { iam, profile } = vc.clients[side];
  const read = () => (ref.kind === 'role' ? rolePolicies(iam, ref.name) : userPolicies(iam, ref.name));
  const shared = vc.options.sharedReads;
  const key = `${vc.prepared.accounts[side]}|${ref.kind}|${ref.name}`;
  const once = (): Promise<NamedPolicy[]> => {
    if (!shared) return read();
    if (!shared.has(key)) shared.set(key, read());
    return shared.get(key) as Promise<NamedPolicy[]>;
  };
  return settle(once, `reading the policies of IAM ${ref.kind} ${ref.name}`, profile);
};

/**
 * Cross-account reads need both sides to allow: each authorised user's own identity policies (all of them, in the
 * destination account) must allow what readerIdentityPolicy grants.
 */
export async function readerIdentityChecks(vc: VerifyContext): Promise<Check[]> {
  const { input, accounts } = vc.prepared;
  const needed = grantsOf(readerIdentityPolicy(vc.documents).Statement).filter((g) => g.resource !== KNOWN_AFTER_APPLY);
  return Promise.all(
    input.authorizedUsers.map(async (user): Promise<Check> => {
      const id = `reader.identity:${user}`;
      const ref = principalRef(user, accounts.destination);
      if (ref.accountId !== accounts.destination) {
        return skip(id, `not checked: ${ref.arn} is in account ${ref.accountId}, which this run has no profile for; that account must allow the reads itself`);
      }
      const policies = await principalPolicies(vc, 'destination', ref);
      if (!Array.isArray(policies)) return warn(id, `could not read the policies of ${user}: ${policies.message}`, policies.remedy ?? '');
      const missing = missingGrants(
        policies.flatMap((p) => p.document.Statement),
        needed,
      );
      if (missing.length === 0) return pass(id, `${user}'s own policies allow listing and reading both buckets`);
      return fail(
        id,
        `${user}'s own policies do not allow ${describeGrants(missing)}`,
        `${RERUN_WIZARD} to restore its inline policy ${vc.documents.names.readerPolicy}.`,
      );
    }),
  );
}
