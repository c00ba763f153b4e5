import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

/** A client's credentials belong to one account for the client's life: the wizard's closing verify need not ask again. */
const known = new WeakMap<STSClient, string>();

/** The account a profile's credentials belong to. */
export async function accountOf(sts: STSClient): Promise<string> {
  const cached = known.get(sts);
  if (cached) return cached;
  const { Account } = await sts.send(new GetCallerIdentityCommand({}));
  if (!Account) throw new Error('STS GetCallerIdentity returned no account');
  known.set(sts, Account);
  return Account;
}
