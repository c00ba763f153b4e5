// validateOptions: every bad value is refused before any AWS call, naming its flag and what is allowed; good input
// comes out complete, with the documented defaults.
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import type { RawOptions } from '../src/input/options.js';
import { type ProfileCatalog, validateOptions } from '../src/input/validate.js';
import { SEED_RAW, seedInput } from './support/fixtures.js';

const PROFILES: Record<string, string | undefined> = { xyz: 'ap-southeast-1', abcd: 'ap-southeast-2', 'no-region': undefined };
const catalog: ProfileCatalog = {
  exists: (profile) => Object.hasOwn(PROFILES, profile),
  region: (profile) => PROFILES[profile],
  names: () => Object.keys(PROFILES),
};

function problemsOf(raw: RawOptions): InputError {
  try {
    validateOptions(raw, catalog);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('validateOptions accepts', () => {
  it('the seed, exactly as typed', () => {
    expect(validateOptions(SEED_RAW, catalog)).toStrictEqual(seedInput());
  });

  const GOOD: { name: string; raw: RawOptions; expected: Record<string, unknown> }[] = [
    {
      name: 'the minimum: regions from the profiles and the documented defaults',
      raw: { sourceProfile: 'xyz', sourceBucket: 'rubes-s3-bucket', destProfile: 'abcd', destBucket: 'clint-s3-bucket' },
      expected: {
        source: { profile: 'xyz', region: 'ap-southeast-1', bucket: 'rubes-s3-bucket' },
        destination: { profile: 'abcd', region: 'ap-southeast-2', bucket: 'clint-s3-bucket' },
        roleName: 's3-replication-role',
        authorizedUsers: [],
        prefix: '',
        rtc: true,
        deleteMarkerReplication: true,
        encryption: 'sse-s3',
        uploaders: [],
      },
    },
    {
      name: 'one profile for both sides',
      raw: { ...SEED_RAW, destProfile: 'xyz' },
      expected: { destination: { profile: 'xyz', region: 'ap-southeast-2', bucket: 'clint-s3-bucket' } },
    },
    {
      name: 'a profile without a region when the region is given',
      raw: { ...SEED_RAW, sourceProfile: 'no-region' },
      expected: { source: { profile: 'no-region', region: 'ap-southeast-1', bucket: 'rubes-s3-bucket' } },
    },
    {
      name: 'us-east-1 (no location constraint)',
      raw: { ...SEED_RAW, destRegion: 'us-east-1' },
      expected: { destination: { profile: 'abcd', region: 'us-east-1', bucket: 'clint-s3-bucket' } },
    },
    {
      name: 'readers by name and by ARN',
      raw: { ...SEED_RAW, authorizedUser: ['tom-cruise', 'arn:aws:iam::222222222222:role/readers/auditor'] },
      expected: { authorizedUsers: ['tom-cruise', 'arn:aws:iam::222222222222:role/readers/auditor'] },
    },
    {
      name: 'turning RTC and delete markers off',
      raw: { ...SEED_RAW, rtc: false, deleteMarkerReplication: false },
      expected: { rtc: false, deleteMarkerReplication: false },
    },
    { name: 'a prefix', raw: { ...SEED_RAW, prefix: 'incidents/' }, expected: { prefix: 'incidents/' } },
    {
      name: 'bucket names with dots and digits at the edges',
      raw: { ...SEED_RAW, sourceBucket: '1.a-b.2', destBucket: 'abc' },
      expected: { source: { profile: 'xyz', region: 'ap-southeast-1', bucket: '1.a-b.2' } },
    },
    {
      name: 'a 63-character bucket name',
      raw: { ...SEED_RAW, destBucket: 'a'.repeat(63) },
      expected: { destination: { profile: 'abcd', region: 'ap-southeast-2', bucket: 'a'.repeat(63) } },
    },
    {
      name: 'KMS keys with sse-kms',
      raw: {
        ...SEED_RAW,
        encryption: 'sse-kms',
        sourceKmsKey: 'alias/partner',
        destKmsKey: 'arn:aws:kms:ap-southeast-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
      expected: {
        encryption: 'sse-kms',
        sourceKmsKey: 'alias/partner',
        destinationKmsKey: 'arn:aws:kms:ap-southeast-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    },
    {
      name: 'a storage class, the preset and an endpoint',
      raw: { ...SEED_RAW, storageClass: 'GLACIER_IR', preset: 'log-backup', endpointUrl: 'http://127.0.0.1:5000' },
      expected: { storageClass: 'GLACIER_IR', preset: 'log-backup', endpointUrl: 'http://127.0.0.1:5000' },
    },
  ];

  it.each(GOOD)('$name', ({ raw, expected }) => {
    expect(validateOptions(raw, catalog)).toMatchObject(expected);
  });
});

describe('validateOptions refuses', () => {
  const BAD: { name: string; raw: Partial<RawOptions>; flag: string; says: RegExp }[] = [
    { name: 'a 2-character bucket', raw: { sourceBucket: 'ab' }, flag: '--source-bucket', says: /3 to 63 characters/ },
    { name: 'a 64-character bucket', raw: { destBucket: 'a'.repeat(64) }, flag: '--dest-bucket', says: /3 to 63 characters long \(got 64\)/ },
    { name: 'an empty bucket', raw: { sourceBucket: '' }, flag: '--source-bucket', says: /3 to 63 characters/ },
    { name: 'capital letters', raw: { sourceBucket: 'Rubes-S3-Bucket' }, flag: '--source-bucket', says: /only lowercase letters, digits, dots/ },
    { name: 'an underscore', raw: { destBucket: 'clint_s3_bucket' }, flag: '--dest-bucket', says: /only lowercase letters, digits, dots/ },
    { name: 'a leading hyphen', raw: { sourceBucket: '-rubes' }, flag: '--source-bucket', says: /begin and end with a lowercase letter or digit/ },
    { name: 'a trailing dot', raw: { destBucket: 'clint.' }, flag: '--dest-bucket', says: /begin and end/ },
    { name: 'two adjacent dots', raw: { sourceBucket: 'rubes..bucket' }, flag: '--source-bucket', says: /two adjacent dots/ },
    { name: 'an IP address', raw: { destBucket: '192.168.5.4' }, flag: '--dest-bucket', says: /IP address/ },
    { name: 'the xn-- prefix', raw: { sourceBucket: 'xn--rubes' }, flag: '--source-bucket', says: /must not start with "xn--"/ },
    { name: 'the sthree- prefix', raw: { sourceBucket: 'sthree-rubes' }, flag: '--source-bucket', says: /"sthree-"/ },
    { name: 'the -s3alias suffix', raw: { destBucket: 'clint-s3alias' }, flag: '--dest-bucket', says: /must not end with "-s3alias"/ },
    { name: 'the --ol-s3 suffix', raw: { destBucket: 'clint--ol-s3' }, flag: '--dest-bucket', says: /"--ol-s3"/ },
    { name: 'the same bucket on both sides', raw: { destBucket: 'rubes-s3-bucket' }, flag: '--dest-bucket', says: /must differ from --source-bucket/ },
    {
      name: 'an unknown source region',
      raw: { sourceRegion: 'mars-east-1' },
      flag: '--source-region',
      says: /not an AWS region code the bundled AWS SDK knows \(for example/,
    },
    { name: 'an upper-case region', raw: { destRegion: 'AP-SOUTHEAST-2' }, flag: '--dest-region', says: /not an AWS region code/ },
    { name: 'an empty region', raw: { sourceRegion: '' }, flag: '--source-region', says: /not an AWS region code/ },
    {
      name: 'a profile that does not exist',
      raw: { sourceProfile: 'nobody' },
      flag: '--source-profile',
      says: /"nobody" is not in your AWS config.*known: xyz, abcd, no-region/,
    },
    { name: 'an empty profile', raw: { destProfile: '' }, flag: '--dest-profile', says: /must not be empty/ },
    { name: 'a profile with a space', raw: { destProfile: 'my profile' }, flag: '--dest-profile', says: /spaces or brackets/ },
    {
      name: 'no region for a profile without one',
      raw: { sourceProfile: 'no-region', sourceRegion: undefined },
      flag: '--source-region',
      says: /is required: profile "no-region" has no region/,
    },
    { name: 'an empty role name', raw: { roleName: '' }, flag: '--role-name', says: /must not be empty/ },
    {
      name: 'a role name with a path',
      raw: { roleName: 'service/role' },
      flag: '--role-name',
      says: /role paths \(such as service-role\/NAME\) are not supported/,
    },
    { name: 'a 65-character role name', raw: { roleName: 'r'.repeat(65) }, flag: '--role-name', says: /at most 64 characters/ },
    { name: 'an empty user', raw: { authorizedUser: [''] }, flag: '--authorized-user', says: /must not be empty/ },
    { name: 'a user with a space', raw: { authorizedUser: ['tom cruise'] }, flag: '--authorized-user', says: /"tom cruise"/ },
    {
      name: 'a user ARN with a short account id',
      raw: { authorizedUser: ['arn:aws:iam::2222:user/tom-cruise'] },
      flag: '--authorized-user',
      says: /not a valid IAM user or role ARN/,
    },
    {
      name: 'a group ARN',
      raw: { authorizedUser: ['arn:aws:iam::222222222222:group/readers'] },
      flag: '--authorized-user',
      says: /not a valid IAM user or role ARN/,
    },
    { name: 'an S3 ARN as a user', raw: { authorizedUser: ['arn:aws:s3:::clint-s3-bucket'] }, flag: '--authorized-user', says: /user\/NAME/ },
    { name: 'the same user twice', raw: { authorizedUser: ['tom-cruise', 'tom-cruise'] }, flag: '--authorized-user', says: /same user twice/ },
    { name: 'a malformed uploader ARN', raw: { uploader: ['arn:aws:iam::1:user/x'] }, flag: '--uploader', says: /not a valid IAM user or role ARN/ },
    {
      name: 'two uploaders of one name (a user and a role), which would share one prefix and fence each other out',
      raw: { prefix: 'inc/', uploader: ['admin', 'arn:aws:iam::111111111111:role/admin'] },
      flag: '--uploader',
      says: /"admin" and "arn:aws:iam::111111111111:role\/admin" would share the prefix admin\//,
    },
    { name: 'a prefix with a leading slash', raw: { prefix: '/incidents' }, flag: '--prefix', says: /leading slash/ },
    { name: 'an unknown encryption', raw: { encryption: 'aes' }, flag: '--encryption', says: /use sse-s3 or sse-kms/ },
    { name: 'a KMS key without sse-kms', raw: { sourceKmsKey: 'alias/partner' }, flag: '--source-kms-key', says: /needs --encryption sse-kms/ },
    {
      name: 'a malformed KMS key',
      raw: { encryption: 'sse-kms', destKmsKey: 'key-please' },
      flag: '--dest-kms-key',
      says: /not a KMS key ARN, key id or alias/,
    },
    { name: 'an unknown storage class', raw: { storageClass: 'COLD' }, flag: '--storage-class', says: /use one of STANDARD, .*GLACIER_IR/ },
    { name: 'an unknown preset', raw: { preset: 'backup' }, flag: '--preset', says: /the only preset is log-backup/ },
    { name: 'an endpoint that is not a URL', raw: { endpointUrl: 'localhost:5000' }, flag: '--endpoint-url', says: /http:\/\/ or https:\/\/|must be a URL/ },
    { name: 'an ftp endpoint', raw: { endpointUrl: 'ftp://127.0.0.1' }, flag: '--endpoint-url', says: /http:\/\/ or https:\/\// },
    { name: 'an empty endpoint', raw: { endpointUrl: '' }, flag: '--endpoint-url', says: /must be a URL/ },
  ];

  it.each(BAD)('$name, naming $flag', ({ raw, flag, says }) => {
    const error = problemsOf({ ...SEED_RAW, ...raw });
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('INVALID_INPUT');
    const problem = error.problems.find((p) => p.flag === flag);
    expect(problem, `problems: ${JSON.stringify(error.problems)}`).toBeDefined();
    expect(problem!.message).toMatch(says);
    expect(error.message).toContain(`${flag}: `);
  });

  it('lists every problem at once, each with its flag', () => {
    const error = problemsOf({ ...SEED_RAW, sourceBucket: 'Bad_Bucket', destRegion: 'nowhere-1', roleName: '', storageClass: 'COLD' });
    expect(error.problems.map((p) => p.flag).sort()).toEqual(['--dest-region', '--role-name', '--source-bucket', '--storage-class']);
  });

  it.each([
    [{ sourceRegion: 'ap-southeast-1', destRegion: 'ap-southeast-2' }, ['--source-bucket', '--dest-bucket']],
    [{ sourceProfile: 'xyz', destProfile: 'abcd' }, ['--source-bucket', '--dest-bucket']],
    [{ sourceProfile: 'xyz', sourceBucket: 'rubes-s3-bucket', destRegion: 'ap-southeast-2' }, ['--dest-bucket']],
  ] as [RawOptions, string[]][])('names each missing required flag (%j)', (raw, flags) => {
    const error = problemsOf(raw);
    expect(error.code).toBe('MISSING_INPUT');
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual(flags.map((flag) => ({ flag, message: 'is required' })));
  });

  it('names the missing flags and, in the same run, what is wrong with the given ones', () => {
    const error = problemsOf({ sourceProfile: 'xyz', sourceBucket: 'x', destProfile: 'abcd', destRegion: 'mars-1' });
    expect(error.code).toBe('MISSING_INPUT');
    expect(error.problems.map((p) => p.flag)).toEqual(['--dest-bucket', '--source-bucket', '--dest-region']);
    expect(error.problems[1]!.message).toMatch(/3 to 63 characters/);
  });
});

describe('profiles may be left out; regions and partitions come from the SDK', () => {
  const seedWithout = (...keys: (keyof RawOptions)[]): RawOptions =>
    Object.fromEntries(Object.entries(SEED_RAW).filter(([key]) => !keys.includes(key as keyof RawOptions))) as RawOptions;

  it('an omitted profile is the default chain, its region from AWS_REGION', () => {
    const input = validateOptions(seedWithout('destProfile', 'destRegion'), catalog, { AWS_REGION: 'ap-southeast-2' });
    expect(input.destination).toEqual({ region: 'ap-southeast-2', bucket: SEED_RAW.destBucket });
    expect(input.source.profile).toBe('xyz');
  });

  it("AWS_DEFAULT_REGION, then the AWS_PROFILE profile's region, when AWS_REGION is not set", () => {
    expect(validateOptions(seedWithout('destProfile', 'destRegion'), catalog, { AWS_DEFAULT_REGION: 'eu-west-1' }).destination.region).toBe('eu-west-1');
    expect(validateOptions(seedWithout('destProfile', 'destRegion'), catalog, { AWS_PROFILE: 'abcd' }).destination.region).toBe('ap-southeast-2');
  });

  it("a named profile's own region wins over AWS_REGION, so two profiles never collapse into one region", () => {
    expect(validateOptions(SEED_RAW, catalog, { AWS_REGION: 'us-east-1' }).destination.region).toBe('ap-southeast-2');
  });

  it('without any region source, the region is required, saying where it looked', () => {
    const error = (() => {
      try {
        validateOptions(seedWithout('destProfile', 'destRegion'), catalog, {});
      } catch (e) {
        return e as InputError;
      }
      throw new Error('accepted');
    })();
    expect(error.problems).toEqual([
      { flag: '--dest-region', message: 'is required: neither AWS_REGION, AWS_DEFAULT_REGION nor profile "default" gives a region' },
    ]);
  });

  it('accepts a region the bundled SDK knows though no hand-kept list did (ap-southeast-6)', () => {
    expect(validateOptions({ ...SEED_RAW, sourceRegion: 'ap-southeast-6' }, catalog).source.region).toBe('ap-southeast-6');
  });

  it.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])('refuses %s: only the aws partition is supported', (region, partition) => {
    expect(problemsOf({ ...SEED_RAW, destRegion: region }).problems).toEqual([
      {
        flag: '--dest-region',
        message: `"${region}" is in the ${partition} partition; replicate-setup supports only the standard aws partition (its ARNs and service principals are built for it)`,
      },
    ]);
  });
});
