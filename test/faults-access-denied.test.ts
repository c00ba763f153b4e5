// AccessDenied at every write the setup makes: the error names the profile and the permission, the failed step's
// dependants never run, and every step that does not depend on it still runs.

import { CreateRoleCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketReplicationCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ApplyFailedError } from '../src/engine/apply.js';
import { ignoreEvents } from '../src/engine/events.js';
import { applySetup, prepareSetup } from '../src/engine/setup.js';
import type { Change } from '../src/plan/changes.js';
import { dependentsOf } from '../src/plan/changes.js';
import { failureOf, iamError, instantRetry, kmsError, type MockedSide, mockedAws, s3Error, validatedSeed } from './support/mock-clients.js';

type Side = 'source' | 'destination';

/** The one write each step of a fresh setup sends, as `side Command` (a new KMS key: CreateKey, then CreateAlias). */
const WRITE_OF_STEP: Record<string, string> = {
  'source-bucket': 'source CreateBucket',
  'source-public-access-block': 'source PutPublicAccessBlock',
  'source-encryption': 'source PutBucketEncryption',
  'source-versioning': 'source PutBucketVersioning',
  'destination-bucket': 'destination CreateBucket',
  'destination-public-access-block': 'destination PutPublicAccessBlock',
  'destination-encryption': 'destination PutBucketEncryption',
  'destination-ownership': 'destination PutBucketOwnershipControls',
  'destination-versioning': 'destination PutBucketVersioning',
  'replication-role': 'source CreateRole',
  'replication-role-policy': 'source PutRolePolicy',
  'destination-bucket-policy': 'destination PutBucketPolicy',
  'replication-configuration': 'source PutBucketReplication',
  'source-bucket-policy': 'source PutBucketPolicy',
  'reader-policy:tom-cruise': 'destination PutUserPolicy',
  'source-kms-key': 'source CreateKey',
  'destination-kms-key': 'destination CreateKey',
  'source-kms-key-policy': 'source PutKeyPolicy',
  'destination-kms-key-policy': 'destination PutKeyPolicy',
};
const SECOND_WRITE_OF_STEP: Record<string, string> = {
  'source-kms-key': 'source CreateAlias',
  'destination-kms-key': 'destination CreateAlias',
};

/** What reached AWS when `failed` was denied: every write of the steps done, and the denied write itself. */
function expectedWrites(changes: Change[], status: Record<string, string | undefined>, failed: string): string[] {
  return changes
    .flatMap((c) => {
      if (c.id === failed) return [WRITE_OF_STEP[c.id]!];
      if (status[c.id] !== 'done') return [];
      return [WRITE_OF_STEP[c.id]!, ...(SECOND_WRITE_OF_STEP[c.id] ? [SECOND_WRITE_OF_STEP[c.id]!] : [])];
    })
    .sort();
}

interface DeniedCase {
  step: string;
  side: Side;
  deny: (mocks: MockedSide) => void;
  permission: string;
}

const s3Denied = s3Error('AccessDenied', 'Access Denied', 403);
const iamDenied = (action: string): Error => iamError('AccessDenied', `User: arn:aws:iam::111111111111:user/ops is not authorized to perform: ${action}`, 403);

const cases: DeniedCase[] = [
  ...(['source', 'destination'] as const).flatMap((side): DeniedCase[] => [
    { step: `${side}-bucket`, side, deny: (m) => void m.s3.on(CreateBucketCommand).rejects(s3Denied), permission: 's3:CreateBucket' },
    {
      step: `${side}-public-access-block`,
      side,
      deny: (m) => void m.s3.on(PutPublicAccessBlockCommand).rejects(s3Denied),
      permission: 's3:PutBucketPublicAccessBlock',
    },
    { step: `${side}-encryption`, side, deny: (m) => void m.s3.on(PutBucketEncryptionCommand).rejects(s3Denied), permission: 's3:PutEncryptionConfiguration' },
    { step: `${side}-versioning`, side, deny: (m) => void m.s3.on(PutBucketVersioningCommand).rejects(s3Denied), permission: 's3:PutBucketVersioning' },
    { step: `${side}-bucket-policy`, side, deny: (m) => void m.s3.on(PutBucketPolicyCommand).rejects(s3Denied), permission: 's3:PutBucketPolicy' },
  ]),
  {
    step: 'destination-ownership',
    side: 'destination',
    deny: (m) => void m.s3.on(PutBucketOwnershipControlsCommand).rejects(s3Denied),
    permission: 's3:PutBucketOwnershipControls',
  },
  {
    step: 'replication-role',
    side: 'source',
    deny: (m) => void m.iam.on(CreateRoleCommand).rejects(iamDenied('iam:CreateRole')),
    permission: 'iam:CreateRole',
  },
  {
    step: 'replication-role-policy',
    side: 'source',
    deny: (m) => void m.iam.on(PutRolePolicyCommand).rejects(iamDenied('iam:PutRolePolicy')),
    permission: 'iam:PutRolePolicy',
  },
  {
    step: 'replication-configuration',
    side: 'source',
    deny: (m) => void m.s3.on(PutBucketReplicationCommand).rejects(s3Denied),
    permission: 's3:PutReplicationConfiguration',
  },
  {
    step: 'reader-policy:tom-cruise',
    side: 'destination',
    deny: (m) => void m.iam.on(PutUserPolicyCommand).rejects(iamDenied('iam:PutUserPolicy')),
    permission: 'iam:PutUserPolicy',
  },
];

const kmsDenied = (action: string): Error =>
  kmsError('AccessDeniedException', `User: arn:aws:iam::111111111111:user/ops is not authorized to perform: ${action}`, 400);
const kmsCases: DeniedCase[] = (['source', 'destination'] as const).flatMap((side): DeniedCase[] => [
  { step: `${side}-kms-key`, side, deny: (m) => void m.kms.on(CreateKeyCommand).rejects(kmsDenied('kms:CreateKey')), permission: 'kms:CreateKey' },
  {
    step: `${side}-kms-key-policy`,
    side,
    deny: (m) => void m.kms.on(PutKeyPolicyCommand).rejects(kmsDenied('kms:PutKeyPolicy')),
    permission: 'kms:PutKeyPolicy',
  },
]);

/** The error names the profile and the permission, and tells the user to run again. */
function expectDenied(failed: ApplyFailedError, side: Side, permission: string): void {
  const profile = side === 'source' ? 'xyz' : 'abcd';
  expect(failed.code).toBe('ACCESS_DENIED');
  expect(failed.exitCode).toBe(1);
  expect(failed.message).toContain(`profile "${profile}"`);
  expect(failed.remedy).toContain(permission);
  expect(failed.remedy).toContain(`profile "${profile}"`);
  expect(failed.remedy).toMatch(/run again/i);
}

describe('AccessDenied at each write step', () => {
  it('covers every step of a fresh setup, with and without SSE-KMS', async () => {
    const plain = await prepareSetup(validatedSeed(), mockedAws().clients, ignoreEvents);
    expect(plain.plan.changes.map((c) => c.id).sort()).toEqual(cases.map((c) => c.step).sort());
    const kms = await prepareSetup(validatedSeed({ encryption: 'sse-kms' }), mockedAws().clients, ignoreEvents);
    expect(kms.plan.changes.map((c) => c.id).sort()).toEqual([...cases, ...kmsCases].map((c) => c.step).sort());
  });

  it.each(cases)('$step ($permission)', async ({ step, side, deny, permission }) => {
    const aws = mockedAws();
    deny(aws[side]);
    const prepared = await prepareSetup(validatedSeed(), aws.clients, ignoreEvents);
    const error = await failureOf(applySetup(prepared, aws.clients, ignoreEvents, { retry: instantRetry(3) }));

    expect(error).toBeInstanceOf(ApplyFailedError);
    const failed = error as ApplyFailedError;
    expectDenied(failed, side, permission);
    const dependants = dependentsOf(prepared.plan.changes, [step]);
    const status = Object.fromEntries(failed.steps.map((s) => [s.id, s.status]));
    for (const change of prepared.plan.changes) {
      const expected = change.id === step ? 'failed' : dependants.has(change.id) ? 'not-run' : 'done';
      expect({ id: change.id, status: status[change.id] }).toEqual({ id: change.id, status: expected });
    }
    expect(failed.steps.find((s) => s.id === step)?.error?.code).toBe('ACCESS_DENIED');
    expect(failed.message).toContain(`${prepared.plan.changes.length - 1 - dependants.size} step(s) done, ${1 + dependants.size} left undone`);

    // What reached AWS: every independent step's write and the denied one; nothing of the dependants.
    expect(
      aws
        .writes()
        .map((w) => `${w.side} ${w.command}`)
        .sort(),
    ).toEqual(expectedWrites(prepared.plan.changes, status, step));
  });

  // With SSE-KMS the documents naming a new key are planned again once it exists, so the steps waiting on any new
  // key form a second phase: a denied key stops that whole phase, its dependants and the other key's alike.
  it.each(kmsCases)('SSE-KMS: $step ($permission)', async ({ step, side, deny, permission }) => {
    const aws = mockedAws();
    deny(aws[side]);
    const prepared = await prepareSetup(validatedSeed({ encryption: 'sse-kms' }), aws.clients, ignoreEvents);
    const error = await failureOf(applySetup(prepared, aws.clients, ignoreEvents, { retry: instantRetry(3) }));

    expect(error).toBeInstanceOf(ApplyFailedError);
    const failed = error as ApplyFailedError;
    expectDenied(failed, side, permission);
    const { changes } = prepared.plan;
    const dependants = dependentsOf(changes, [step]);
    const waitsOnNewKey = dependentsOf(changes, ['source-kms-key', 'destination-kms-key']);
    const keyDenied = step.endsWith('-kms-key');
    const status = Object.fromEntries(failed.steps.map((s) => [s.id, s.status]));
    for (const change of changes) {
      const expected = change.id === step ? 'failed' : dependants.has(change.id) || (keyDenied && waitsOnNewKey.has(change.id)) ? 'not-run' : 'done';
      expect({ id: change.id, status: status[change.id] }).toEqual({ id: change.id, status: expected });
    }
    expect(
      aws
        .writes()
        .map((w) => `${w.side} ${w.command}`)
        .sort(),
    ).toEqual(expectedWrites(changes, status, step));
  });
});
