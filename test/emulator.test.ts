// Tests of the emulator harness, and a record of what moto 5.2.5 really does where the engine
// depends on it: accounts, profiles, IAM and KMS here; S3 in test/emulator-s3.test.ts. Found (and asserted below):
// - Accounts: requests act as the account owning the access key; keys of IAM user `admin`
//   made inside each account act as 111111111111 / 222222222222. AssumeRole does not need the
//   role to exist. The written profiles work through fromIni and the SDK's region loading.
// - The SDK caches shared ini files by path for the process's life: new keys must go to a new
//   path (useEmulator writes each test's profiles to a new subdir).
// - IAM GetRole of a missing role: NoSuchEntityException (404).
// - KMS CreateKey/GetKeyPolicy/PutKeyPolicy/CreateAlias work per account; a key's default
//   policy allows arn:aws:iam::ACCOUNT:root kms:*; DescribeKey of an unknown alias gives
//   NotFoundException (400 in moto); aliases are per account and region.

import { CreateRoleCommand, GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni } from '@aws-sdk/credential-providers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { failure, uniqueBucketName, useEmulator } from './support/emulator.js';

const emu = useEmulator();

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('accounts and profiles', () => {
  it('gives each profile its own account, read from the written files as a real tool would', async () => {
    const { configFile, credentialsFile } = emu.setup.files;
    for (const side of ['source', 'destination'] as const) {
      const credentials = fromIni({ profile: emu.profiles[side], filepath: credentialsFile, configFilepath: configFile });
      const sts = new STSClient({ region: emu.regions[side], endpoint: emu.endpoint, credentials });
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe(emu.accounts[side]);
      expect(identity.Arn).toBe(`arn:aws:iam::${emu.accounts[side]}:user/admin`);
    }
    expect(emu.accounts).toEqual({ source: '111111111111', destination: '222222222222' });
  });

  it('works through AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, region included, after a reset', async () => {
    for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
    const sts = new STSClient({ profile: 'xyz', endpoint: emu.endpoint, credentials: fromIni({ profile: 'xyz' }) });
    expect(await sts.config.region()).toBe('ap-southeast-1');
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('111111111111');
    const company = new STSClient({ profile: 'abcd', endpoint: emu.endpoint, credentials: fromIni({ profile: 'abcd' }) });
    expect(await company.config.region()).toBe('ap-southeast-2');
    expect((await company.send(new GetCallerIdentityCommand({}))).Account).toBe('222222222222');
  });

  it('creates the company users in the company account only', async () => {
    const { User } = await emu.clients('destination').iam.send(new GetUserCommand({ UserName: 'tom-cruise' }));
    expect(User?.Arn).toBe('arn:aws:iam::222222222222:user/tom-cruise');
    await emu.clients('destination').iam.send(new GetUserCommand({ UserName: 'clint-eastwood' }));
    expect(await failure(emu.clients('source').iam.send(new GetUserCommand({ UserName: 'tom-cruise' })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
    });
  });

  it('makes valid unique bucket names', () => {
    const a = uniqueBucketName('Partner_Data.Bucket');
    expect(a).toMatch(/^partner-data-bucket-[0-9a-f]{8}$/);
    expect(uniqueBucketName('Partner_Data.Bucket')).not.toBe(a);
    const long = uniqueBucketName(`${'x'.repeat(80)}-`);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });
});

describe('IAM and KMS', () => {
  it('reports a missing role as NoSuchEntityException and creates roles per account', async () => {
    const { iam } = emu.clients('source');
    expect(await failure(iam.send(new GetRoleCommand({ RoleName: 'replication-role' })))).toEqual({
      name: 'NoSuchEntityException',
      status: 404,
    });
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'replication-role', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    expect(Role?.Arn).toBe('arn:aws:iam::111111111111:role/replication-role');
    await iam.send(new GetRoleCommand({ RoleName: 'replication-role' }));
    expect((await failure(emu.clients('destination').iam.send(new GetRoleCommand({ RoleName: 'replication-role' })))).name).toBe('NoSuchEntityException');
  });

  it('creates keys, key policies and aliases in the partner account', async () => {
    const { kms } = emu.clients('source');
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'replication test key' }));
    const KeyId = KeyMetadata?.KeyId ?? '';
    expect(KeyMetadata?.Arn).toMatch(/^arn:aws:kms:ap-southeast-1:111111111111:key\//);

    const initial = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))).Policy ?? '{}');
    expect(initial.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });

    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Replication', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/replication-role' }, Action: 'kms:Decrypt', Resource: '*' },
      ],
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId, PolicyName: 'default', Policy }));
    expect(JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))).Policy ?? '')).toEqual(JSON.parse(Policy));

    await kms.send(new CreateAliasCommand({ AliasName: 'alias/replication', TargetKeyId: KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/replication' }))).KeyMetadata?.KeyId).toBe(KeyId);
    expect(await failure(emu.clients('destination').kms.send(new DescribeKeyCommand({ KeyId: 'alias/replication' })))).toEqual({
      name: 'NotFoundException',
      status: 400,
    });
  });
});
