import { paginateListUsers, type IAMClient } from '@aws-sdk/client-iam';

export interface IamUser {
  name: string;
  arn: string;
}

/** Every IAM user of the client's account, sorted by name (ListUsers pages through up to 1000 a page). */
export async function listIamUsers(iam: IAMClient): Promise<IamUser[]> {
  const users: IamUser[] = [];
  for await (const page of paginateListUsers({ client: iam, pageSize: 1000 }, {})) {
    for (const user of page.Users ?? []) {
      if (user.UserName && user.Arn) users.push({ name: user.UserName, arn: user.Arn });
    }
  }
  return users.sort((a, b) => a.name.localeCompare(b.name));
}
