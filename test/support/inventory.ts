// What exists in the two emulated accounts, to prove a refused run wrote nothing.

import { ListRolesCommand, ListUserPoliciesCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { Emulator } from './emulator.js';

export interface Inventory {
  buckets: { source: string[]; destination: string[] };
  roles: { source: string[]; destination: string[] };
  /** Inline policies of every IAM user of each account ("user:policy"). */
  userPolicies: { source: string[]; destination: string[] };
}

export async function inventory(emu: Emulator): Promise<Inventory> {
  const result: Inventory = { buckets: { source: [], destination: [] }, roles: { source: [], destination: [] }, userPolicies: { source: [], destination: [] } };
  for (const side of ['source', 'destination'] as const) {
    const { s3, iam } = emu.clients(side);
    result.buckets[side] = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name ?? '?').sort();
    result.roles[side] = ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName ?? '?').sort();
    for (const user of (await iam.send(new ListUsersCommand({}))).Users ?? []) {
      const { PolicyNames = [] } = await iam.send(new ListUserPoliciesCommand({ UserName: user.UserName }));
      result.userPolicies[side].push(...PolicyNames.map((policy) => `${user.UserName}:${policy}`));
    }
    result.userPolicies[side].sort();
  }
  return result;
}
