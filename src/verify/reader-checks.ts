import type { AwsClients } from '../aws/clients.js';
import { translateAwsError } from '../aws/errors.js';
import type { ReplicateSetupError } from '../errors.js';
import { readerIdentityPolicy } from '../plan/documents.js';
import { type PrincipalRef, principalRef } from '../plan/names.js';
import { KNOWN_AFTER_APPLY } from '../plan/pending.js';
import { type KnownInline, knownReaderPolicies, type NamedPolicy, rolePolicies, userPolicies } from './identity-policies.js';
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
  known?: KnownInline,
): Promise<NamedPolicy[] | ReplicateSetupError> =>
  settle(
    () => policiesOnce(vc.clients, vc.options.sharedReads, vc.prepared.accounts[side], side, ref, known),
    `reading the policies of IAM ${ref.kind} ${ref.name}`,
    vc.clients[side].profile,
  );

/** A principal's policies, read once per run when the run shares its reads (a fleet, a prefetching verify). */
export function policiesOnce(
  clients: AwsClients,
  shared: Map<string, Promise<unknown>> | undefined,
  accountId: string,
  side: 'source' | 'destination',
  ref: Pick<PrincipalRef, 'kind' | 'name'>,
  known?: KnownInline,
): Promise<NamedPolicy[]> {
  const { iam } = clients[side];
  const read = () => (ref.kind === 'role' ? rolePolicies(iam, ref.name, known) : userPolicies(iam, ref.name, known));
  if (!shared) return read();
  const key = `${accountId}|${ref.kind}|${ref.name}`;
  if (!shared.has(key)) {
    const reading = read();
    // Read ahead, it may never be asked for (a role that turned out not to exist): its failure is reported when it is.
    reading.catch(() => undefined);
    shared.set(key, reading);
  }
  return shared.get(key) as Promise<NamedPolicy[]>;
}

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
      const policies = await principalPolicies(vc, 'destination', ref, knownReaderPolicies(input, accounts, vc.prepared.live, ref.arn));
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
