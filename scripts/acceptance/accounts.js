// The two accounts, the temporary IAM users that stand in for tom-cruise and clint-eastwood, the AWS config files the
// CLI runs with (the user's own files plus the temporary users' profiles), and each setup the suite makes.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { pollUntil, runCli, sleep } from './context.js';

const TAG = 'replicate-setup-acceptance';

/** Resolves both accounts: id, region, admin clients, the canonical id of the destination (the replicas' owner). */
export async function resolveAccounts(ctx) {
  const side = async (profile, region) => {
    const probe = ctx.clients({ profile }, region);
    const resolvedRegion = region ?? (await probe.s3.config.region());
    const clients = ctx.clients({ profile }, resolvedRegion);
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    return { profile, region: resolvedRegion, account: identity.Account, clients };
  };
  const source = await side(ctx.options.sourceProfile, ctx.options.sourceRegion);
  const destination = await side(ctx.options.destProfile, ctx.options.destRegion);
  const owners = await destination.clients.s3.send(new ListBucketsCommand({}));
  destination.canonicalId = owners.Owner?.ID;
  ctx.source = source;
  ctx.destination = destination;
  ctx.log(
    `source ${source.account} (profile ${source.profile}, ${source.region}); destination ${destination.account} (profile ${destination.profile}, ${destination.region})`,
  );
}

/**
 * Creates an IAM user with access keys in `side`'s account, tagged with the run, and records its clean-up. An inline
 * policy is added when given (an uploader needs s3:PutObject; a reader gets its own from the tool).
 */
export async function temporaryUser(ctx, side, part, policy) {
  const { iam } = ctx[side].clients;
  const UserName = ctx.name(part, 64);
  ctx.cleanups.push({ kind: 'user', side, name: UserName });
  await iam.send(new CreateUserCommand({ UserName, Tags: [{ Key: TAG, Value: ctx.runId }] }));
  if (policy) await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: `${TAG}-${part}`, PolicyDocument: JSON.stringify(policy) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
  const credentials = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
  const user = { name: UserName, arn: `arn:aws:iam::${ctx[side].account}:user/${UserName}`, profile: UserName, credentials, side };
  user.clients = ctx.clients({ credentials }, ctx[side].region);
  ctx.users = [...(ctx.users ?? []), user];
  return user;
}

/** New access keys take a few seconds to work on AWS: wait until STS knows them, then a little longer for S3. */
export async function waitForKeys(ctx, users) {
  for (const user of users) {
    const { value } = await pollUntil(
      ctx,
      () =>
        user.clients.sts.send(new GetCallerIdentityCommand({})).then(
          () => true,
          () => undefined,
        ),
      { limitMs: 60_000, everyMs: 2_000 },
    );
    if (!value) throw new Error(`the access key of ${user.name} did not start working within 60 s`);
  }
  if (ctx.isAws) await sleep(ctx, 10_000);
}

/**
 * Writes an AWS config and credentials file for the CLI: the user's own files (so --source-profile/--dest-profile
 * resolve as before, SSO and role profiles included) plus one profile per temporary user. Mode 0600, in a private
 * temp dir removed at the end; the keys are never printed.
 */
export async function writeProfiles(ctx) {
  const dir = await mkdtemp(join(tmpdir(), 'replicate-setup-acceptance-'));
  ctx.profilesDir = dir;
  const own = (envName, fallback) => {
    const path = process.env[envName] ?? join(homedir(), '.aws', fallback);
    return existsSync(path) ? `${readFileSync(path, 'utf8')}\n` : '';
  };
  const users = ctx.users ?? [];
  const config = own('AWS_CONFIG_FILE', 'config') + users.map((u) => `[profile ${u.profile}]\nregion = ${ctx[u.side].region}\n`).join('\n');
  const credentials =
    own('AWS_SHARED_CREDENTIALS_FILE', 'credentials') +
    users.map((u) => `[${u.profile}]\naws_access_key_id = ${u.credentials.accessKeyId}\naws_secret_access_key = ${u.credentials.secretAccessKey}\n`).join('\n');
  await writeFile(join(dir, 'config'), config, { mode: 0o600 });
  await writeFile(join(dir, 'credentials'), credentials, { mode: 0o600 });
  ctx.cliEnv = { ...ctx.cliEnv, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
}

export const removeProfiles = (ctx) => (ctx.profilesDir ? rm(ctx.profilesDir, { recursive: true, force: true }) : Promise.resolve());

/** The flags of one setup: this case's unique buckets and role, both sides' profiles and regions. */
export function setupFlags(ctx, part, { destSide = 'destination', destRegion, extra = [] } = {}) {
  const names = { src: ctx.name(`${part}-src`), dst: ctx.name(`${part}-dst`), role: ctx.name(`${part}-role`, 64) };
  const dest = ctx[destSide];
  const flags = [
    ...['--source-profile', ctx.source.profile, '--source-region', ctx.source.region, '--source-bucket', names.src],
    ...['--dest-profile', dest.profile, '--dest-region', destRegion ?? dest.region, '--dest-bucket', names.dst],
    ...['--role-name', names.role, ...extra],
  ];
  return { names, flags, destClients: destRegion && destRegion !== dest.region ? ctx.clients({ profile: dest.profile }, destRegion) : dest.clients };
}

/**
 * `wizard --yes` with these flags. The teardown is registered before the wizard starts, so a setup interrupted or
 * failed half-way is still removed.
 */
export async function setUp(ctx, label, setup) {
  ctx.setups.push({ label, flags: setup.flags });
  const result = await runCli(ctx, label, ['wizard', '--yes', ...setup.flags]);
  return result;
}
