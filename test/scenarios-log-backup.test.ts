// Scenario 4 of the walkthrough against moto: CloudWatch Logs exports land in the source bucket and replicate to a
// backup bucket, in the same account or another, the same region or another. moto runs no export task and enforces
// no bucket policy: what is proven is the documents as sent and that every setup applies and re-runs as a no-op.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RawOptions } from '../src/input/options.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { pairSid, SAME_ACCOUNT, SEED_ACCOUNTS } from './support/fixtures.js';
import { apply, bySid, crossAccount, pendingOnRerun, sent, sentPolicy, sentRules } from './support/scenario.js';

const emu = useEmulator();
afterEach(() => vi.unstubAllEnvs());

const buckets = () => ({ source: uniqueBucketName('app-logs'), destination: uniqueBucketName('log-backup') });

/** Both sides with the partner's profile: one account (111111111111), the destination in `destRegion`. */
const oneAccount = (source: string, destination: string, destRegion: string, extra: RawOptions = {}): RawOptions => ({
  sourceProfile: 'xyz',
  sourceBucket: source,
  destProfile: 'xyz',
  destRegion,
  destBucket: destination,
  roleName: 'log-backup-role',
  preset: 'log-backup',
  ...extra,
});

/** The statements AWS documents for CloudWatch Logs export tasks, for account 111111111111's log groups only. */
const logStatements = (bucket: string, prefix: string, destination: string, accounts = SAME_ACCOUNT) => [
  {
    Sid: pairSid(bucket, destination, 'LogsExportAcl', undefined, accounts),
    Effect: 'Allow',
    Principal: { Service: 'logs.ap-southeast-1.amazonaws.com' },
    Action: 's3:GetBucketAcl',
    Resource: `arn:aws:s3:::${bucket}`,
    Condition: {
      StringEquals: { 'aws:SourceAccount': ['111111111111'] },
      ArnLike: { 'aws:SourceArn': ['arn:aws:logs:ap-southeast-1:111111111111:log-group:*'] },
    },
  },
  {
    Sid: pairSid(bucket, destination, 'LogsExportWrite', undefined, accounts),
    Effect: 'Allow',
    Principal: { Service: 'logs.ap-southeast-1.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
    Condition: {
      StringEquals: { 'aws:SourceAccount': ['111111111111'], 's3:x-amz-acl': ['bucket-owner-full-control'] },
      ArnLike: { 'aws:SourceArn': ['arn:aws:logs:ap-southeast-1:111111111111:log-group:*'] },
    },
  },
];

describe('log backup in one account', () => {
  it('to another region: drops the owner override, the destination Account and the destination bucket policy, says why, and stores replicas as STANDARD_IA (documents as sent)', async () => {
    const b = buckets();
    const raw = oneAccount(b.source, b.destination, 'ap-southeast-2', { storageClass: 'STANDARD_IA' });

    const run = await apply(emu, raw);

    expect(run.prepared.accounts).toEqual({ source: '111111111111', destination: '111111111111' });
    expect(run.steps.filter((s) => s.status === 'failed' || s.status === 'not-run')).toEqual([]);
    const [rule] = sentRules(run.calls);
    expect(rule?.Filter).toEqual({ Prefix: 'exportedlogs/' });
    expect(rule?.Destination).toEqual({
      Bucket: `arn:aws:s3:::${b.destination}`,
      StorageClass: 'STANDARD_IA',
      ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
      Metrics: { Status: 'Enabled', EventThreshold: { Minutes: 15 } },
    });
    expect(sent(run.calls, 'PutBucketPolicy', 'destination')).toEqual([]);
    expect(run.steps.some((s) => s.id === 'destination-bucket-policy')).toBe(false);
    expect(sentPolicy(run.calls, 'PutBucketPolicy', 'source').Statement).toEqual(logStatements(b.source, 'exportedlogs/', b.destination));

    const notes = run.prepared.plan.notes.join('\n');
    expect(notes).toContain(
      'Source and destination are the same account, so these are dropped: the owner override (AccessControlTranslation) and the destination Account in the rule, and the destination bucket policy.',
    );
    expect(notes).toContain("inside one account the replication role's own identity policy is enough");
    expect(notes).toContain(`CloudWatch Logs in ap-southeast-1 may export log groups of account 111111111111 into s3://${b.source}/exportedlogs/`);
    expect(notes).toContain(`--destination ${b.source} --destination-prefix exportedlogs`);
    expect(notes).toContain(`Replicas are stored as STANDARD_IA in ${b.destination}`);
    expect(notes).not.toContain('same-region');
    expect(await pendingOnRerun(emu, raw)).toEqual([]);
  });

  it('in the same region, with SSE-KMS: same-region replication, and the source key lets CloudWatch Logs encrypt exports (key policy as sent)', async () => {
    const b = buckets();
    const raw = oneAccount(b.source, b.destination, 'ap-southeast-1', { encryption: 'sse-kms', storageClass: 'GLACIER_IR' });

    const run = await apply(emu, raw);

    expect(run.steps.filter((s) => s.status === 'failed' || s.status === 'not-run')).toEqual([]);
    expect(run.prepared.plan.notes).toContain('Both buckets are in ap-southeast-1: this is same-region replication (SRR).');
    const [rule] = sentRules(run.calls);
    expect(rule?.Destination.StorageClass).toBe('GLACIER_IR');
    expect(rule?.Destination).not.toHaveProperty('Account');
    expect(rule?.Destination).not.toHaveProperty('AccessControlTranslation');
    const keys = sent(run.calls, 'PutKeyPolicy');
    expect(keys).toHaveLength(2);
    const sourceKeyPolicy = sentPolicy(run.calls, 'PutKeyPolicy', 'source');
    // One account, two keys (one per bucket): the source bucket's key is the one CloudWatch Logs encrypts exports with.
    const logs = sourceKeyPolicy.Statement.find((s) => s.Sid?.startsWith('ReplicateSetupLogsExport'));
    expect(logs).toMatchObject({ Principal: { Service: 'logs.ap-southeast-1.amazonaws.com' }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' });
    expect(await pendingOnRerun(emu, raw)).toEqual([]);
  });
});

describe('log backup to another account', () => {
  it('replicates the --prefix given instead of exportedlogs/, with the owner override and the company account in the rule', async () => {
    const b = buckets();
    const raw = crossAccount(b.source, b.destination, { preset: 'log-backup', prefix: 'app-logs/', storageClass: 'STANDARD_IA' });

    const run = await apply(emu, raw);

    const [rule] = sentRules(run.calls);
    expect(rule?.Filter).toEqual({ Prefix: 'app-logs/' });
    expect(rule?.Destination).toMatchObject({ Account: '222222222222', AccessControlTranslation: { Owner: 'Destination' }, StorageClass: 'STANDARD_IA' });
    expect(sentPolicy(run.calls, 'PutBucketPolicy', 'source').Statement).toEqual(logStatements(b.source, 'app-logs/', b.destination, SEED_ACCOUNTS));
    expect(Object.keys(bySid(sentPolicy(run.calls, 'PutBucketPolicy', 'destination')))).toHaveLength(2);
    expect(run.prepared.plan.notes.join('\n')).not.toContain('same account');
    expect(await pendingOnRerun(emu, raw)).toEqual([]);
  });
});
