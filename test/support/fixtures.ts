// The walkthrough's setup as typed values, for the pure planners' tests.

import type { RawOptions } from '../../src/input/options.js';
import type { Accounts, SetupInput } from '../../src/input/types.js';
import type { DocumentContext } from '../../src/plan/documents.js';
import { roleArn, type SetupNames, type SidPurpose, setupIdOf, setupNames, sidOf } from '../../src/plan/names.js';

export const SEED_ACCOUNTS: Accounts = { source: '111111111111', destination: '222222222222' };
export const SAME_ACCOUNT: Accounts = { source: '111111111111', destination: '111111111111' };

/** The seed as the flags give it (`--source-profile xyz ...`). */
export const SEED_RAW: RawOptions = {
  sourceProfile: 'xyz',
  sourceRegion: 'ap-southeast-1',
  sourceBucket: 'rubes-s3-bucket',
  destProfile: 'abcd',
  destRegion: 'ap-southeast-2',
  destBucket: 'clint-s3-bucket',
  roleName: 's3_replication_role',
  authorizedUser: ['tom-cruise'],
};

/** The seed: rubes-s3-bucket (xyz, Singapore) → clint-s3-bucket (abcd, Sydney), role s3_replication_role, reader tom-cruise. */
export function seedInput(overrides: Partial<SetupInput> = {}): SetupInput {
  return {
    source: { profile: 'xyz', region: 'ap-southeast-1', bucket: 'rubes-s3-bucket' },
    destination: { profile: 'abcd', region: 'ap-southeast-2', bucket: 'clint-s3-bucket' },
    roleName: 's3_replication_role',
    authorizedUsers: ['tom-cruise'],
    prefix: '',
    rtc: true,
    deleteMarkerReplication: true,
    encryption: 'sse-s3',
    uploaders: [],
    ...overrides,
  };
}

export const SEED_ROLE_ARN = roleArn(SEED_ACCOUNTS.source, 's3_replication_role');

export function seedContext(input: SetupInput = seedInput(), accounts: Accounts = SEED_ACCOUNTS): DocumentContext {
  return { input, accounts, names: setupNames(input, accounts), replicationRoleArn: roleArn(accounts.source, input.roleName) };
}

/** A pair's Sid as the tool writes it (names.ts): purpose, optional part id, the pair's setup id. */
export const pairSid = (sourceBucket: string, destBucket: string, purpose: SidPurpose, part?: string, accounts: Accounts = SEED_ACCOUNTS): string =>
  sidOf(
    setupIdOf({ source: { bucket: sourceBucket }, destination: { bucket: destBucket } } as Pick<SetupInput, 'source' | 'destination'>, accounts),
    purpose,
    part,
  );

/** The seed pair's names (setup id, inline policy names). */
export const seedNames = (input: Pick<SetupInput, 'source' | 'destination'> = seedInput(), accounts: Accounts = SEED_ACCOUNTS): SetupNames =>
  setupNames(input, accounts);
