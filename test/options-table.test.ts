import { describe, expect, it } from 'vitest';
import { isPrincipalArn, principalRef } from '../src/arns.js';
import {
  configFileProblems,
  flagOf,
  helpText,
  longFlag,
  OPTION_TABLE,
  type OptionKey,
  optionSpec,
  problemAt,
  REQUIRED_OPTIONS,
  SETUP_OPTION_KEYS,
  SIDE_OPTIONS,
  sideFlags,
} from '../src/input/options.js';

const camel = (flag: string): string => flag.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe('the options table', () => {
  it('keys each option by the name commander gives its value', () => {
    for (const key of Object.keys(OPTION_TABLE) as OptionKey[]) expect(camel(longFlag(optionSpec(key)))).toBe(key);
  });

  it('names the flag a problem is about: the long flag, or the --no- flag of an option on by default', () => {
    expect(flagOf('sourceProfile')).toBe('--source-profile');
    expect(flagOf('authorizedUser')).toBe('--authorized-user');
    expect(flagOf('rtc')).toBe('--no-rtc');
    expect(flagOf('deleteMarkerReplication')).toBe('--no-delete-marker-replication');
    expect(flagOf('verify')).toBe('--no-verify');
    expect(flagOf('yes')).toBe('--yes');
    expect(problemAt('expectDenied', 'lists the same principal twice')).toEqual({ flag: '--expect-denied', message: 'lists the same principal twice' });
  });

  it("derives the required options and each side's options", () => {
    // The profiles may be left out: the SDK's default chain (environment, AWS_PROFILE, SSO, roles) is used.
    expect(REQUIRED_OPTIONS).toEqual(['sourceBucket', 'destBucket']);
    expect(SIDE_OPTIONS).toEqual({
      source: { profile: 'sourceProfile', region: 'sourceRegion', bucket: 'sourceBucket', kmsKey: 'sourceKmsKey' },
      destination: { profile: 'destProfile', region: 'destRegion', bucket: 'destBucket', kmsKey: 'destKmsKey' },
    });
    expect(sideFlags('destination')).toEqual({ profile: '--dest-profile', region: '--dest-region', bucket: '--dest-bucket', kmsKey: '--dest-kms-key' });
  });

  it('writes help with the default as the CLI shows it', () => {
    expect(helpText(optionSpec('roleName'))).toBe('replication role in the source account (default: s3-replication-role)');
    expect(helpText(optionSpec('sourceKmsKey'))).toBe('KMS key of the source bucket (sse-kms; default: a new key)');
    expect(helpText(optionSpec('rtc'))).toBe('Replication Time Control, 15 minutes (default)');
    expect(helpText(optionSpec('uploader'))).toMatch(/; repeatable$/);
    expect(helpText(optionSpec('endpointUrl'))).toBe('send every AWS call to this endpoint (an emulator); default $AWS_ENDPOINT_URL');
  });

  it('checks a config file against the setup options only', () => {
    expect(SETUP_OPTION_KEYS).not.toContain('json');
    expect(configFileProblems({ json: true }, 'c.json')[0]!.message).toMatch(/^"c\.json" has unknown keys: json \(allowed: sourceProfile, /);
    expect(configFileProblems({ rtc: 'yes', uploader: 'a', prefix: 3 }, 'c.json')).toEqual([
      { flag: '--config', message: '"c.json": rtc (--no-rtc) must be true or false, not "yes"' },
      { flag: '--config', message: '"c.json": uploader (--uploader) must be a list of strings, not "a"' },
      { flag: '--config', message: '"c.json": prefix (--prefix) must be a string, not 3' },
    ]);
  });
});

describe('principal ARNs', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/bob', true],
    ['arn:aws:iam::123456789012:role/team/ops/reader', true],
    ['arn:aws-cn:iam::123456789012:user/x', true],
    ['arn:aws:iam::123456789012:group/x', false],
    ['arn:aws:iam:us-east-1:123456789012:user/x', false],
    ['arn:aws:iam::12345678901:user/x', false],
    ['arn:aws:iam::123456789012:user/a:b', false],
    ['arn:aws:sts::123456789012:assumed-role/x/y', false],
    ['arn:aws:iam::123456789012:role/x/', false],
    ['bob', false],
  ])('%s: %s', (arn, ok) => {
    expect(isPrincipalArn(arn)).toBe(ok);
  });

  it('takes the name from the end of an IAM path, and reads a bare name as a user of the destination account', () => {
    expect(principalRef('arn:aws:iam::123456789012:role/team/reader', '999999999999')).toEqual({
      arn: 'arn:aws:iam::123456789012:role/team/reader',
      accountId: '123456789012',
      kind: 'role',
      name: 'reader',
    });
    expect(principalRef('bob', '999999999999')).toEqual({ arn: 'arn:aws:iam::999999999999:user/bob', accountId: '999999999999', kind: 'user', name: 'bob' });
  });
});
