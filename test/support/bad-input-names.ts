// Bad bucket names, regions and profiles, role names, users and ARNs (test/cli-bad-input.test.ts).
import { type BadCase, drop, set, withValue, wizard } from './bad-input.js';
import { seedArgs } from './cli.js';

export const NAME_BATCHES: { batch: string; cases: BadCase[] }[] = [
  {
    batch: 'bucket names, by each S3 naming rule',
    cases: [
      { name: 'two characters', args: withValue('--source-bucket', () => 'ab'), flags: ['--source-bucket'], says: /must be 3 to 63 characters long \(got 2\)/ },
      {
        name: '64 characters',
        args: withValue('--dest-bucket', (n) => n.dst.padEnd(64, 'x')),
        flags: ['--dest-bucket'],
        says: /must be 3 to 63 characters long \(got 64\)/,
      },
      { name: 'empty', args: withValue('--source-bucket', () => ''), flags: ['--source-bucket'], says: /must be 3 to 63 characters long \(got 0\)/ },
      {
        name: 'capital letters',
        args: withValue('--source-bucket', (n) => n.src.toUpperCase()),
        flags: ['--source-bucket'],
        says: /may contain only lowercase letters, digits, dots \(\.\) and hyphens \(-\)/,
      },
      {
        name: 'an underscore',
        args: withValue('--dest-bucket', (n) => n.dst.replace('-', '_')),
        flags: ['--dest-bucket'],
        says: /may contain only lowercase letters/,
      },
      {
        name: 'a leading hyphen',
        args: withValue('--source-bucket', (n) => `-${n.src}`),
        flags: ['--source-bucket'],
        says: /must begin and end with a lowercase letter or digit/,
      },
      {
        name: 'a trailing dot',
        args: withValue('--dest-bucket', (n) => `${n.dst}.`),
        flags: ['--dest-bucket'],
        says: /must begin and end with a lowercase letter or digit/,
      },
      {
        name: 'two adjacent dots',
        args: withValue('--source-bucket', (n) => n.src.replace('-', '..')),
        flags: ['--source-bucket'],
        says: /must not contain two adjacent dots/,
      },
      {
        name: 'an IP address',
        args: withValue('--dest-bucket', () => '10.11.12.13'),
        flags: ['--dest-bucket'],
        says: /must not be formatted as an IP address/,
      },
      { name: 'the xn-- prefix', args: withValue('--source-bucket', (n) => `xn--${n.src}`), flags: ['--source-bucket'], says: /must not start with "xn--"/ },
      {
        name: 'the sthree- prefix',
        args: withValue('--dest-bucket', (n) => `sthree-${n.dst}`),
        flags: ['--dest-bucket'],
        says: /must not start with "sthree-"/,
      },
      {
        name: 'the amzn-s3-demo- prefix',
        args: withValue('--source-bucket', (n) => `amzn-s3-demo-${n.src}`),
        flags: ['--source-bucket'],
        says: /must not start with "amzn-s3-demo-"/,
      },
      {
        name: 'the -s3alias suffix',
        args: withValue('--dest-bucket', (n) => `${n.dst}-s3alias`),
        flags: ['--dest-bucket'],
        says: /must not end with "-s3alias"/,
      },
      {
        name: 'the --ol-s3 suffix',
        args: withValue('--source-bucket', (n) => `${n.src}--ol-s3`),
        flags: ['--source-bucket'],
        says: /must not end with "--ol-s3"/,
      },
      { name: 'the .mrap suffix', args: withValue('--dest-bucket', (n) => `${n.dst}.mrap`), flags: ['--dest-bucket'], says: /must not end with "\.mrap"/ },
      {
        name: 'the --x-s3 suffix',
        args: withValue('--source-bucket', (n) => `${n.src}--x-s3`),
        flags: ['--source-bucket'],
        says: /must not end with "--x-s3"/,
      },
      {
        name: 'the same bucket on both sides',
        args: withValue('--dest-bucket', (n) => n.src),
        flags: ['--dest-bucket'],
        says: /must differ from --source-bucket/,
      },
    ],
  },
  {
    batch: 'regions and profiles',
    cases: [
      {
        name: 'an unknown source region',
        args: withValue('--source-region', () => 'mars-east-1'),
        flags: ['--source-region'],
        says: /"mars-east-1" is not an AWS region code the bundled AWS SDK knows \(for example ap-southeast-1/,
      },
      {
        name: 'an unknown destination region',
        args: withValue('--dest-region', () => 'ap-southeast-9'),
        flags: ['--dest-region'],
        says: /is not an AWS region code/,
      },
      {
        name: 'an upper-case region',
        args: withValue('--source-region', () => 'AP-SOUTHEAST-1'),
        flags: ['--source-region'],
        says: /is not an AWS region code/,
      },
      { name: 'an empty region', args: withValue('--dest-region', () => ''), flags: ['--dest-region'], says: /is not an AWS region code/ },
      {
        name: 'an unknown source profile',
        args: withValue('--source-profile', () => 'nobody'),
        flags: ['--source-profile'],
        says: /profile "nobody" is not in your AWS config or credentials file \(known: abcd, no-creds, no-region, xyz\)/,
      },
      {
        name: 'an unknown destination profile',
        args: withValue('--dest-profile', () => 'ghost'),
        flags: ['--dest-profile'],
        says: /profile "ghost" is not in your AWS config/,
      },
      { name: 'an empty profile', args: withValue('--source-profile', () => ''), flags: ['--source-profile'], says: /must not be empty/ },
      {
        name: 'a profile name with a space',
        args: withValue('--dest-profile', () => 'my profile'),
        flags: ['--dest-profile'],
        says: /must not contain spaces or brackets/,
      },
      {
        name: 'a profile without a region, and no --source-region',
        args: (n) => wizard(drop(set(seedArgs(n), '--source-profile', 'no-region'), '--source-region')),
        flags: ['--source-region'],
        says: /is required: profile "no-region" has no region configured/,
      },
      {
        name: 'a source profile without credentials',
        args: withValue('--source-profile', () => 'no-creds'),
        flags: ['--source-profile'],
        says: /Could not get credentials from profile "no-creds": Could not resolve credentials using profile.*aws configure --profile no-creds/s,
      },
      {
        name: 'a destination profile without credentials',
        args: withValue('--dest-profile', () => 'no-creds'),
        flags: ['--dest-profile'],
        says: /Could not get credentials from profile "no-creds"/,
      },
    ],
  },
  {
    batch: 'role names, users and ARNs',
    cases: [
      { name: 'an empty role name', args: withValue('--role-name', () => ''), flags: ['--role-name'], says: /a role name must not be empty/ },
      {
        name: 'a role name with a path',
        args: withValue('--role-name', (n) => `svc/${n.role}`),
        flags: ['--role-name'],
        says: /role paths \(such as service-role\/NAME\) are not supported/,
      },
      {
        name: 'a 65-character role name',
        args: withValue('--role-name', (n) => n.role.padEnd(65, 'r')),
        flags: ['--role-name'],
        says: /must be at most 64 characters \(got 65\)/,
      },
      { name: 'an empty user', args: withValue('--authorized-user', () => ''), flags: ['--authorized-user'], says: /an IAM user name must not be empty/ },
      {
        name: 'a user ARN with a short account id',
        args: withValue('--authorized-user', () => 'arn:aws:iam::2222:user/tom-cruise'),
        flags: ['--authorized-user'],
        says: /is not a valid IAM user or role ARN \(arn:aws:iam::123456789012:user\/NAME\)/,
      },
      {
        name: 'a group ARN',
        args: withValue('--authorized-user', () => 'arn:aws:iam::222222222222:group/readers'),
        flags: ['--authorized-user'],
        says: /is not a valid IAM user or role ARN/,
      },
      {
        name: 'a bucket ARN as a user',
        args: withValue('--authorized-user', () => 'arn:aws:s3:::clint-s3-bucket'),
        flags: ['--authorized-user'],
        says: /is not a valid IAM user or role ARN/,
      },
      {
        name: 'the same user twice',
        args: (n) => wizard([...seedArgs(n), '--authorized-user', 'tom-cruise']),
        flags: ['--authorized-user'],
        says: /lists the same user twice/,
      },
      {
        name: 'the same user by name and by ARN',
        args: (n) => wizard([...seedArgs(n), '--authorized-user', 'arn:aws:iam::222222222222:user/tom-cruise']),
        flags: ['--authorized-user'],
        says: /gives arn:aws:iam::222222222222:user\/tom-cruise twice/,
      },
      {
        name: 'a user the destination account does not have',
        args: withValue('--authorized-user', () => 'ghost-reader'),
        flags: ['--authorized-user'],
        says: /arn:aws:iam::222222222222:user\/ghost-reader does not exist in account 222222222222/,
      },
      {
        name: 'a malformed uploader ARN',
        args: (n) => wizard([...seedArgs(n), '--uploader', 'arn:aws:iam::1:user/loader']),
        flags: ['--uploader'],
        says: /is not a valid IAM user or role ARN/,
      },
      {
        name: 'two uploaders of one name under two paths',
        args: (n) =>
          wizard([...seedArgs(n), '--uploader', 'arn:aws:iam::111111111111:user/eng/alice', '--uploader', 'arn:aws:iam::111111111111:user/ops/alice']),
        flags: ['--uploader'],
        says: /would share the prefix alice\//,
      },
      { name: 'a prefix with a leading slash', args: withValue('--prefix', () => '/incidents/'), flags: ['--prefix'], says: /must not start with "\/"/ },
    ],
  },
];
