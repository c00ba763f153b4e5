// A moto server of its own with IAM enforcement switched on after the accounts are made, and operator users that hold
// exactly a given policy: for test/permissions-enforced.test.ts. moto's POST /moto-api/reset-auth takes a bare number
// (INITIAL_NO_AUTH_ACTION_COUNT, the requests let through unchecked from then on) and restarts its count: "inf" turns
// enforcement off, "0" on. It enforces identity policies of IAM users by action name (resources and conditions of
// identity policies are not evaluated in the version we pin), and it is server-wide: hence a server of this file's own.
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { type AccessKeys, emulatorClients, setUpTwoAccounts, type TwoAccounts, writeAwsProfiles } from '../../src/emulator/accounts.js';
import { type MotoServer, startMotoServer } from '../../src/emulator/moto-server.js';

export async function startPrivateMoto(): Promise<MotoServer> {
  // Enforcement is server-wide: never switch it on in a server other test files share.
  const shared = process.env.MOTO_ENDPOINT;
  delete process.env.MOTO_ENDPOINT;
  try {
    return await startMotoServer();
  } finally {
    if (shared !== undefined) process.env.MOTO_ENDPOINT = shared;
  }
}

export async function setEnforcement(endpoint: string, on: boolean): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: on ? '0' : 'inf' });
  if (!response.ok) throw new Error(`moto reset-auth failed: HTTP ${response.status}`);
}

export interface PolicyDoc {
  Version: string;
  Statement: { Action: string[]; Resource: string[]; Effect: string; Sid: string; Condition?: unknown }[];
}

/** IAM user `userName` in the account of `admin`, holding exactly `policy` inline; its keys. */
export async function createOperator(endpoint: string, admin: AccessKeys, policy: PolicyDoc, userName = 'operator'): Promise<AccessKeys> {
  const { iam } = emulatorClients(endpoint, 'us-east-1', admin);
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'replicate-setup', PolicyDocument: JSON.stringify(policy) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/**
 * The policy as moto can evaluate it: moto matches the Resource of an IAM or KMS action against "*" (it passes no
 * resource for them), so their statements are widened to "*" here; S3 statements keep their bucket and object ARNs,
 * which moto does match, except S3 Batch Operations job ARNs, which moto's validator refuses. Conditions are ignored by
 * moto either way.
 */
export function asMotoEvaluates(policy: PolicyDoc): PolicyDoc {
  return {
    ...policy,
    Statement: policy.Statement.map((s) => {
      // moto names an action after the request's signing name, which is `monitoring` for CloudWatch, not `cloudwatch`.
      const action = [...s.Action, ...s.Action.filter((a) => a.startsWith('cloudwatch:')).map((a) => a.replace(/^cloudwatch:/, 'monitoring:'))];
      if (!s.Action.every((a) => a.startsWith('s3:'))) return { ...s, Action: action, Resource: ['*'] };
      // moto's policy validator refuses an S3 ARN with a region, which AWS's S3 Batch Operations job ARNs
      // (arn:aws:s3:REGION:ACCOUNT:job/ID) have: those become "*" (moto has no jobs API to check them against anyway).
      if (s.Resource.some((r) => /^arn:aws:s3:[^:]+:/.test(r))) return { ...s, Resource: ['*'] };
      // moto checks HEAD on a bucket under a name of its own, s3:HeadBucket; AWS checks s3:ListBucket.
      return s.Action.includes('s3:ListBucket') ? { ...s, Action: [...s.Action, 's3:HeadBucket'] } : s;
    }),
  };
}

/** The policy without one action (a statement left with none is dropped). */
export function without(policy: PolicyDoc, action: string): PolicyDoc {
  const Statement = policy.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== action) })).filter((s) => s.Action.length > 0);
  return { ...policy, Statement };
}

/** Profiles xyz and abcd holding the operators' keys, in a new directory (the SDK caches profile files by path). */
export async function operatorProfiles(
  setup: TwoAccounts,
  dir: string,
  keys: { source: AccessKeys; destination: AccessKeys },
): Promise<Record<string, string>> {
  const files = await writeAwsProfiles(join(dir, 'operators'), [
    { name: setup.profiles.source, region: setup.regions.source, credentials: keys.source },
    { name: setup.profiles.destination, region: setup.regions.destination, credentials: keys.destination },
  ]);
  return files.env;
}

export { setUpTwoAccounts };
