// Two simulated AWS accounts inside one moto server, with AWS CLI-style profile files.
//
// moto attributes each request to an account by its access key: keys it does not know map
// to 123456789012, keys made by IAM CreateAccessKey belong to the account they were made
// in, and STS AssumeRole credentials belong to the account in the role ARN (the role need
// not exist). So: AssumeRole into the account, create an IAM user there, and its long-term
// keys act as that account, just like a real user's profile.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateAccessKeyCommand, CreateUserCommand, DeleteAccessKeyCommand, IAMClient, ListAccessKeysCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

/** The partner's account: owns the source bucket, in Singapore. */
export const PARTNER_ACCOUNT_ID = '111111111111';
/** The company's account: owns the destination bucket, in Sydney. */
export const COMPANY_ACCOUNT_ID = '222222222222';
export const PARTNER_REGION = 'ap-southeast-1';
export const COMPANY_REGION = 'ap-southeast-2';
export const SOURCE_PROFILE = 'xyz';
export const DESTINATION_PROFILE = 'abcd';
export const DEFAULT_COMPANY_USERS = ['tom-cruise', 'clint-eastwood'];

export interface AccessKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface EmulatorClients {
  s3: S3Client;
  iam: IAMClient;
  sts: STSClient;
  kms: KMSClient;
  sns: SNSClient;
  cloudwatch: CloudWatchClient;
}

// Unknown to moto, so it acts as the default account; only used to assume into the others.
const BOOTSTRAP_KEYS: AccessKeys = { accessKeyId: 'AKIAEMULATORBOOTSTRAP', secretAccessKey: 'emulator-bootstrap-secret' };
// IAM and STS are global: sign them for us-east-1 whatever the account's home region.
const GLOBAL_REGION = 'us-east-1';

/** SDK clients for one account/region, pointed at the emulator. */
export function emulatorClients(endpoint: string, region: string, credentials: AccessKeys): EmulatorClients {
  // A copy: the SDK tags the credentials object it is given (adds `$source`).
  const common = { endpoint, credentials: { ...credentials }, maxAttempts: 1 };
  return {
    // Path style: a local endpoint has no per-bucket DNS names.
    s3: new S3Client({ ...common, region, forcePathStyle: true }),
    iam: new IAMClient({ ...common, region: GLOBAL_REGION }),
    sts: new STSClient({ ...common, region }),
    kms: new KMSClient({ ...common, region }),
    sns: new SNSClient({ ...common, region }),
    cloudwatch: new CloudWatchClient({ ...common, region }),
  };
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | null)?.name;
}

/** Creates IAM user `admin` (allowed everything) in the account and returns its long-term keys. */
export async function provisionAccount(endpoint: string, accountId: string): Promise<AccessKeys> {
  const bootstrap = emulatorClients(endpoint, GLOBAL_REGION, BOOTSTRAP_KEYS);
  const assumed = await bootstrap.sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/emulator-bootstrap`, RoleSessionName: 'emulator-bootstrap' }),
  );
  const c = assumed.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('emulator: AssumeRole returned no credentials');
  const { iam } = emulatorClients(endpoint, GLOBAL_REGION, {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
  });

  const UserName = 'admin';
  try {
    await iam.send(new CreateUserCommand({ UserName }));
  } catch (error) {
    // Re-provisioning without a reset: secrets cannot be read back, so replace the old keys.
    if (errorName(error) !== 'EntityAlreadyExistsException') throw error;
    const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName }));
    for (const key of AccessKeyMetadata) await iam.send(new DeleteAccessKeyCommand({ UserName, AccessKeyId: key.AccessKeyId }));
  }
  // moto does not load AWS managed policies by default (so no AdministratorAccess): use an inline one.
  await iam.send(
    new PutUserPolicyCommand({
      UserName,
      PolicyName: 'admin',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }));
  if (!AccessKey?.AccessKeyId || !AccessKey.SecretAccessKey) throw new Error('emulator: CreateAccessKey returned no key');
  const keys = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };

  const identity = await emulatorClients(endpoint, GLOBAL_REGION, keys).sts.send(new GetCallerIdentityCommand({}));
  if (identity.Account !== accountId) {
    throw new Error(`emulator: keys for ${accountId} act as account ${identity.Account}`);
  }
  return keys;
}

/** Creates plain IAM users in the account of `credentials`; returns their ARNs in order. */
export async function createIamUsers(endpoint: string, credentials: AccessKeys, names: string[]): Promise<string[]> {
  const { iam } = emulatorClients(endpoint, GLOBAL_REGION, credentials);
  const arns: string[] = [];
  for (const UserName of names) {
    const { User } = await iam.send(new CreateUserCommand({ UserName }));
    arns.push(User?.Arn ?? '');
  }
  return arns;
}

export interface ProfileSpec {
  name: string;
  region: string;
  credentials: AccessKeys;
}

export interface AwsProfileFiles {
  configFile: string;
  credentialsFile: string;
  /** AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, for a child process or process.env. */
  env: Record<string, string>;
}

/** Writes ~/.aws/config and ~/.aws/credentials look-alikes into `dir`. */
export async function writeAwsProfiles(dir: string, profiles: ProfileSpec[]): Promise<AwsProfileFiles> {
  await mkdir(dir, { recursive: true });
  const configFile = join(dir, 'config');
  const credentialsFile = join(dir, 'credentials');
  const config = profiles.map((p) => `[profile ${p.name}]\nregion = ${p.region}\noutput = json\n`);
  const credentials = profiles.map((p) =>
    [
      `[${p.name}]`,
      `aws_access_key_id = ${p.credentials.accessKeyId}`,
      `aws_secret_access_key = ${p.credentials.secretAccessKey}`,
      ...(p.credentials.sessionToken ? [`aws_session_token = ${p.credentials.sessionToken}`] : []),
      '',
    ].join('\n'),
  );
  await writeFile(configFile, config.join('\n'), { mode: 0o600 });
  await writeFile(credentialsFile, credentials.join('\n'), { mode: 0o600 });
  return { configFile, credentialsFile, env: { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile } };
}

export interface TwoAccounts {
  endpoint: string;
  /** AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE pointing at the written profiles. */
  env: Record<string, string>;
  files: AwsProfileFiles;
  profiles: { source: string; destination: string };
  accounts: { source: string; destination: string };
  regions: { source: string; destination: string };
  credentials: { source: AccessKeys; destination: AccessKeys };
  /** ARNs of the IAM users created in the company (destination) account. */
  companyUsers: string[];
}

/** Partner (source, profile xyz, Singapore) and company (destination, profile abcd, Sydney). */
export async function setUpTwoAccounts(endpoint: string, dir: string, opts: { companyUsers?: string[] } = {}): Promise<TwoAccounts> {
  const [source, destination] = await Promise.all([provisionAccount(endpoint, PARTNER_ACCOUNT_ID), provisionAccount(endpoint, COMPANY_ACCOUNT_ID)]);
  const companyUsers = await createIamUsers(endpoint, destination, opts.companyUsers ?? DEFAULT_COMPANY_USERS);
  const files = await writeAwsProfiles(dir, [
    { name: SOURCE_PROFILE, region: PARTNER_REGION, credentials: source },
    { name: DESTINATION_PROFILE, region: COMPANY_REGION, credentials: destination },
  ]);
  return {
    endpoint,
    env: files.env,
    files,
    profiles: { source: SOURCE_PROFILE, destination: DESTINATION_PROFILE },
    accounts: { source: PARTNER_ACCOUNT_ID, destination: COMPANY_ACCOUNT_ID },
    regions: { source: PARTNER_REGION, destination: COMPANY_REGION },
    credentials: { source, destination },
    companyUsers,
  };
}
