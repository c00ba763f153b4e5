// Bad choices, KMS keys, endpoints, usage and config files (test/cli-bad-input.test.ts).
import { join } from 'node:path';
import { type BadCase, drop, withValue, wizard } from './bad-input.js';
import { seedArgs } from './cli.js';

export const USAGE_BATCHES: { batch: string; cases: BadCase[] }[] = [
  {
    batch: 'choices, KMS keys and endpoints',
    cases: [
      {
        name: 'an unknown --encryption',
        args: withValue('--encryption', () => 'aes256'),
        flags: ['--encryption'],
        says: /argument 'aes256' is invalid\. Allowed choices are sse-s3, sse-kms/,
      },
      { name: 'an unknown --preset', args: withValue('--preset', () => 'backup'), flags: ['--preset'], says: /Allowed choices are log-backup/ },
      {
        name: 'an unknown --storage-class',
        args: withValue('--storage-class', () => 'COLD'),
        flags: ['--storage-class'],
        says: /"COLD" is not allowed: use one of STANDARD, .*GLACIER_IR/,
      },
      {
        name: 'a KMS key without sse-kms',
        args: withValue('--source-kms-key', () => 'alias/partner'),
        flags: ['--source-kms-key'],
        says: /needs --encryption sse-kms/,
      },
      {
        name: 'a malformed KMS key',
        args: (n) => wizard([...seedArgs(n), '--encryption', 'sse-kms', '--dest-kms-key', 'my-key']),
        flags: ['--dest-kms-key'],
        says: /is not a KMS key ARN, key id or alias \(alias\/NAME\)/,
      },
      {
        name: 'an endpoint that is not a URL',
        args: withValue('--endpoint-url', () => 'not a url'),
        flags: ['--endpoint-url'],
        says: /must be a URL such as http:\/\/127\.0\.0\.1:5000/,
      },
      {
        name: 'an ftp endpoint',
        args: withValue('--endpoint-url', () => 'ftp://127.0.0.1:21'),
        flags: ['--endpoint-url'],
        says: /must be an http:\/\/ or https:\/\/ URL/,
      },
      { name: 'an empty endpoint', args: withValue('--endpoint-url', () => ''), flags: ['--endpoint-url'], says: /must be a URL/ },
    ],
  },
  {
    batch: 'usage and config files',
    cases: [
      {
        name: 'required flags missing, no terminal to ask',
        // The destination profile may be left out (the default chain), but then its region must come from somewhere.
        args: (n) => ['wizard', '--source-profile', 'xyz', '--dest-bucket', n.dst],
        flags: ['--source-bucket', '--dest-region'],
        says: /is required/,
      },
      {
        name: 'plan without any flag',
        // The profiles may be left out (the default chain); the buckets, and without any region source the regions, not.
        args: () => ['plan'],
        flags: ['--source-bucket', '--dest-bucket', '--source-region', '--dest-region'],
        says: /is required/,
      },
      {
        name: 'an unknown flag',
        args: (n) => wizard([...seedArgs(n), '--sorce-bucket', n.src]),
        flags: ['--sorce-bucket'],
        says: /unknown option '--sorce-bucket'\s+\(Did you mean --source-bucket\?\)/,
      },
      {
        name: 'a flag without its value',
        args: (n) => wizard([...drop(seedArgs(n), '--dest-bucket'), '--dest-bucket']),
        flags: ['--dest-bucket'],
        says: /option '--dest-bucket <name>' argument missing/,
      },
      {
        name: 'an unknown command',
        args: (n) => ['wizzard', ...seedArgs(n)],
        flags: ['<command>'],
        says: /unknown command 'wizzard'\s+\(Did you mean wizard\?\)/,
        json: true,
      },
      {
        name: 'a config file that does not exist',
        args: (n, f) => wizard([...seedArgs(n), '--config', join(f.dir, 'missing.json')]),
        flags: ['--config'],
        says: /cannot read ".*missing\.json"/,
      },
      {
        name: 'a config file that is not JSON',
        args: (n, f) => wizard([...seedArgs(n), '--config', join(f.dir, 'broken.json')]),
        flags: ['--config'],
        says: /is not valid JSON/,
      },
      {
        name: 'a config file holding a list',
        args: (n, f) => wizard([...seedArgs(n), '--config', join(f.dir, 'list.json')]),
        flags: ['--config'],
        says: /must hold an object of options/,
      },
      {
        name: 'a config file with an unknown key',
        args: (n, f) => wizard([...seedArgs(n), '--config', join(f.dir, 'typo.json')]),
        flags: ['--config'],
        says: /has unknown keys: sourceBuckt \(allowed: sourceProfile, .*endpointUrl\)/,
      },
      {
        name: 'a config file with values of the wrong type',
        args: (n, f) => wizard([...seedArgs(n), '--config', join(f.dir, 'wrong-types.json')]),
        flags: ['--config'],
        says: /rtc \(--no-rtc\) must be true or false, not "no"/,
      },
      {
        // Named by its key in the file, where the user wrote it, not by a flag they did not give.
        name: 'a config file with a bad bucket name',
        args: (n, f) => wizard([...drop(seedArgs(n), '--source-bucket'), '--config', join(f.dir, 'bad-bucket.json')]),
        flags: ['--config'],
        says: /json": sourceBucket \(--source-bucket\) "Bad_Bucket_Name" is not a valid bucket name/,
      },
      {
        name: 'a config file with an unknown key and a bad bucket name: both named at once',
        args: (n, f) => wizard([...drop(seedArgs(n), '--source-bucket'), '--config', join(f.dir, 'typo-and-bad-bucket.json')]),
        flags: ['--config'],
        says: /has unknown keys: sourceBuckt[\s\S]*sourceBucket \(--source-bucket\) "Not_A_Bucket" is not a valid bucket name/,
      },
      {
        name: 'a one-value flag given twice (not the last one silently winning)',
        args: (n) => wizard([...seedArgs(n), '--source-bucket', 'another-bucket-name']),
        flags: ['--source-bucket'],
        says: /It is given twice \(".+", then "another-bucket-name"\): give it once/,
      },
      {
        name: 'a bad value given as a flag beside a config file: named by its flag',
        args: (n, f) => wizard([...drop(seedArgs(n), '--source-bucket'), '--config', join(f.dir, 'bad-bucket.json'), '--source-bucket', 'Also_Bad']),
        flags: ['--source-bucket'],
        says: /^"Also_Bad" is not a valid bucket name|--source-bucket: "Also_Bad" is not a valid bucket name/m,
      },
    ],
  },
];
