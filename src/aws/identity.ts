import type { STSClient } from '@aws-sdk/client-sts';
import * as ops from './catalogue.js';
import { placeOf, send } from './send.js';

/** A client's credentials belong to one account for the client's life: the wizard's closing verify need not ask again. */
// The question itself is cached, not only its answer: a fleet's setups sharing a client ask at the same moment.
const known = new WeakMap<STSClient, Promise<string>>();

/** The account a profile's credentials belong to; its clients' error remedies name it from then on. */
export function accountOf(sts: STSClient): Promise<string> {
  const cached = known.get(sts);
  if (cached) return cached;
  const asking = (async () => {
    const { Account } = await send(sts, ops.sts.GetCallerIdentity, {});
    if (!Account) throw new Error('STS GetCallerIdentity returned no account');
    const place = placeOf(sts);
    if (place) place.account = Account;
    return Account;
  })();
  known.set(sts, asking);
  // A failure is not kept: a retry after the user fixes their credentials asks again.
  asking.catch(() => known.delete(sts));
  return asking;
}
