import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

/** The account a profile's credentials belong to. */
export async function accountOf(sts: STSClient): Promise<string> {
  const { Account } = await sts.send(new GetCallerIdentityCommand({}));
  if (!Account) throw new Error('STS GetCallerIdentity returned no account');
  return Account;
}
