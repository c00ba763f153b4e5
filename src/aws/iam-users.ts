import type { IAMClient } from '@aws-sdk/client-iam';
import * as ops from './catalogue.js';
import { sendAll } from './send.js';

export interface IamUser {
  name: string;
  arn: string;
}

/** Every IAM user of the client's account, sorted by name (ListUsers pages through up to 1000 a page). */
export async function listIamUsers(iam: IAMClient): Promise<IamUser[]> {
  const listed = await sendAll(iam, ops.iam.ListUsers, { MaxItems: 1000 }, (page) => page.Users);
  const users = listed.flatMap((user) => (user.UserName && user.Arn ? [{ name: user.UserName, arn: user.Arn }] : []));
  return users.sort((a, b) => a.name.localeCompare(b.name));
}
