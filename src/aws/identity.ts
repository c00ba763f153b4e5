import type { STSClient } from '@aws-sdk/client-sts';
import * as ops from './catalogue.js';
import { placeOf, send } from './send.js';

/** A client's credentials belong to one account for the client's life: the wizard's closing verify need not ask again. */
const known = new WeakMap<STSClient, string>();

/** The account a profile's credentials belong to; its clients' error remedies name it from then on. */
export async function accountOf(sts: STSClient): Promise<string> {
  const cached = known.get(sts);
  if (cached) return cached;
  const { Account } = await send(sts, ops.sts.GetCallerIdentity, {});
  if (!Account) throw new Error('STS GetCallerIdentity returned no account');
  known.set(sts, Account);
  const place = placeOf(sts);
  if (place) place.account = Account;
  return Account;
}
