import type { AwsClients } from '../aws/clients.js';
import { identities } from '../engine/preflight.js';
import type { SetupInput } from '../input/types.js';
import type { LiveState } from '../plan/live.js';
import { principalRef } from '../plan/names.js';
import { knownReaderPolicies, knownRolePolicies } from './identity-policies.js';
import { policiesOnce } from './reader-checks.js';

/**
 * The identity policies verify judges (the replication role's, each reader's) are listed while the live state is read,
 * not after it. The tool's own inline policies come with that read, so most often nothing more is asked: one round
 * trip fewer. Reads only; `shared` is where verify's checks find them (keyed as they look them up).
 */
export function prefetchPolicies(input: SetupInput, clients: AwsClients, shared: Map<string, Promise<unknown>>, live: Promise<LiveState | undefined>): void {
  identities(clients).then(
    (accounts) => {
      const roleKnown = live.then((state) => (state?.role.name === input.roleName ? knownRolePolicies(input, accounts, state) : {}));
      policiesOnce(clients, shared, accounts.source, 'source', { kind: 'role', name: input.roleName }, roleKnown);
      for (const user of input.authorizedUsers) {
        const ref = principalRef(user, accounts.destination);
        if (ref.accountId !== accounts.destination) continue;
        const readerKnown = live.then((state) => (state ? knownReaderPolicies(input, accounts, state, ref.arn) : {}));
        policiesOnce(clients, shared, accounts.destination, 'destination', ref, readerKnown);
      }
    },
    // Without the identities verify fails on its own read, and says why there.
    () => undefined,
  );
}
