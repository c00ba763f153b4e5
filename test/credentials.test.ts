// Credentials as the AWS CLI takes them, through the built CLI against moto: environment keys and AWS_PROFILE without
// the profile flags, a role profile with mfa_serial and no terminal, a failing credential_process, and [sso-session]
// sections that are not profiles. `plan` is used: it resolves both sides' credentials and writes nothing.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProfileCatalog } from '../src/aws/profiles.js';
import { ensureBuilt, runCli } from './support/cli.js';
import { useEmulator } from './support/emulator.js';

const emu = useEmulator();

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

const buckets = ['--source-bucket', 'rubes-s3-bucket', '--dest-bucket', 'clint-s3-bucket'];

/** A config file with the emulator's two profiles plus `extra` sections, and its credentials file. */
async function configWith(name: string, extra: string): Promise<Record<string, string>> {
  const configFile = join(emu.dir, `${name}.config`);
  await writeFile(configFile, `[profile xyz]\nregion = ap-southeast-1\n\n[profile abcd]\nregion = ap-southeast-2\n\n${extra}\n`);
  return { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: emu.env.AWS_SHARED_CREDENTIALS_FILE!, AWS_ENDPOINT_URL: emu.endpoint };
}

describe('credentials without profile flags', () => {
  it('uses AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for an omitted --source-profile, and says so in the plan header', async () => {
    const keys = emu.setup.credentials.source;
    const result = await runCli(['plan', ...buckets, '--dest-profile', 'abcd'], {
      ...emu.env,
      AWS_ENDPOINT_URL: emu.endpoint,
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}),
      AWS_REGION: 'ap-southeast-1',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Source account 111111111111 (environment (AWS_ACCESS_KEY_ID), ap-southeast-1)');
    expect(result.stdout).toContain('Destination account 222222222222 (profile abcd, ap-southeast-2)');
    // An endpoint that is not AWS is named in the header, so a leftover AWS_ENDPOINT_URL cannot pass for AWS.
    expect(result.stdout).toContain(`Endpoint ${emu.endpoint} (not AWS`);
  }, 60_000);

  it("uses AWS_PROFILE (and that profile's region) for an omitted --dest-profile", async () => {
    const result = await runCli(['plan', ...buckets, '--source-profile', 'xyz'], { ...emu.env, AWS_ENDPOINT_URL: emu.endpoint, AWS_PROFILE: 'abcd' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Destination account 222222222222 (default chain (AWS_PROFILE=abcd), ap-southeast-2)');
  }, 60_000);

  it('with both profiles omitted, both sides are the one account of the default chain', async () => {
    const result = await runCli(['plan', ...buckets, '--dest-region', 'ap-southeast-2'], { ...emu.env, AWS_ENDPOINT_URL: emu.endpoint, AWS_PROFILE: 'xyz' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Source account 111111111111 (default chain (AWS_PROFILE=xyz), ap-southeast-1)');
    expect(result.stdout).toContain('Destination account 111111111111 (default chain (AWS_PROFILE=xyz), ap-southeast-2)');
  }, 60_000);
});

describe('credentials that need something', () => {
  it('a role profile with mfa_serial and no terminal: exit 2 saying the profile needs an MFA code', async () => {
    const env = await configWith(
      'mfa',
      '[profile partner-admin]\nregion = ap-southeast-1\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = xyz\nmfa_serial = arn:aws:iam::111111111111:mfa/me\n',
    );
    const result = await runCli(['plan', ...buckets, '--source-profile', 'partner-admin', '--dest-profile', 'abcd'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Profile "partner-admin" needs an MFA code (mfa_serial arn:aws:iam::111111111111:mfa/me)');
    expect(result.stderr).toContain('Run the command at a terminal');
    expect(result.stderr).not.toContain('CredentialsProviderError');
  }, 60_000);

  it("a failing credential_process: the SDK's reason (the process's own message) and a remedy for it", async () => {
    const env = await configWith('process', "[profile broken]\nregion = ap-southeast-1\ncredential_process = sh -c 'echo vault is sealed >&2; exit 3'\n");
    const result = await runCli(['plan', ...buckets, '--source-profile', 'broken', '--dest-profile', 'abcd'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('vault is sealed');
    expect(result.stderr).toContain('The credential_process command of profile "broken" failed; run it by hand');
    expect(result.stderr).not.toContain('(CredentialsProviderError)');
  }, 60_000);

  it('[sso-session NAME] and [services NAME] sections are not offered as profiles', async () => {
    const env = await configWith(
      'sso',
      '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n[services local]\ns3 =\n  endpoint_url = http://localhost\n',
    );
    const saved = { AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE };
    Object.assign(process.env, { AWS_CONFIG_FILE: env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE });
    try {
      const names = (await loadProfileCatalog()).names();
      expect(names).toEqual(['abcd', 'xyz']);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
