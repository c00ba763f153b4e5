// Removes everything a run made: each setup by the CLI's own teardown, then the temporary users and their keys, the
// log group and the profile files; then lists what is left under the run's names in both accounts.
import { DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  ListAccessKeysCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { ListAliasesCommand } from '@aws-sdk/client-kms';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { removeProfiles } from './accounts.js';
import { runCli } from './context.js';

const quiet = (promise) =>
  promise.catch((error) => (error.name === 'NoSuchEntity' || error.name === 'ResourceNotFoundException' ? undefined : Promise.reject(error)));

async function deleteUser(iam, UserName) {
  const keys = await quiet(iam.send(new ListAccessKeysCommand({ UserName })));
  if (!keys) return;
  for (const key of keys.AccessKeyMetadata ?? []) await iam.send(new DeleteAccessKeyCommand({ UserName, AccessKeyId: key.AccessKeyId }));
  const policies = await iam.send(new ListUserPoliciesCommand({ UserName }));
  for (const PolicyName of policies.PolicyNames ?? []) await iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName }));
  await iam.send(new DeleteUserCommand({ UserName }));
}

/** Returns a list of problems (a teardown that failed, a user that could not be deleted); empty when all went. */
export async function cleanUp(ctx) {
  const problems = [];
  for (const setup of [...ctx.setups].reverse()) {
    const result = await runCli(
      ctx,
      `teardown ${setup.label}`,
      ['teardown', '--yes', '--delete-buckets', '--delete-objects', '--delete-keys', ...setup.flags],
      {
        interruptible: false,
      },
    );
    if (result.code !== 0) problems.push(`teardown of ${setup.label} exited ${result.code}: ${result.json?.error?.message ?? result.stderr.slice(-300)}`);
  }
  // Teardown first: it needs the reader users to exist to remove their identity policies.
  for (const item of [...ctx.cleanups].reverse()) {
    try {
      if (item.kind === 'user') await deleteUser(ctx[item.side].clients.iam, item.name);
      if (item.kind === 'log-group') await quiet(ctx.source.clients.logs.send(new DeleteLogGroupCommand({ logGroupName: item.name })));
      ctx.log(`[cleanup] deleted ${item.kind} ${item.name}`);
    } catch (error) {
      problems.push(`could not delete ${item.kind} ${item.name}: ${error.name}: ${error.message}`);
    }
  }
  await removeProfiles(ctx);
  return problems;
}

/** Every page of an IAM list (IsTruncated/Marker). */
async function allPages(iam, Command, field) {
  const items = [];
  let Marker;
  do {
    const page = await iam.send(new Command({ Marker }));
    items.push(...(page[field] ?? []));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return items;
}

/** Buckets, roles, users and KMS aliases of either account whose names carry this run's prefix. */
export async function leftovers(ctx) {
  const found = [];
  for (const side of ['source', 'destination']) {
    const { s3, iam, kms } = ctx[side].clients;
    const buckets = await s3.send(new ListBucketsCommand({}));
    found.push(...(buckets.Buckets ?? []).filter((b) => b.Name.startsWith(ctx.prefix)).map((b) => `${side} bucket ${b.Name}`));
    found.push(...(await allPages(iam, ListRolesCommand, 'Roles')).filter((r) => r.RoleName.startsWith(ctx.prefix)).map((r) => `${side} role ${r.RoleName}`));
    found.push(...(await allPages(iam, ListUsersCommand, 'Users')).filter((u) => u.UserName.startsWith(ctx.prefix)).map((u) => `${side} user ${u.UserName}`));
    const aliases = await kms.send(new ListAliasesCommand({}));
    found.push(...(aliases.Aliases ?? []).filter((a) => a.AliasName.includes(ctx.prefix)).map((a) => `${side} KMS alias ${a.AliasName}`));
  }
  return [...new Set(found)];
}
