// Batch Replication's pure parts and the request shapes the SDK is handed, with aws-sdk-client-mock standing in for
// S3 Control (moto has no jobs API; the wire format is exercised by test/batch-replication.test.ts against a fake).
import { CreateJobCommand, ListJobsCommand, S3ControlClient, UpdateJobStatusCommand } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { cancelJob, listJobs } from '../src/aws/s3-batch.js';
import { batchJobKind } from '../src/kinds/batch-job.js';
import { BATCH_TRUST_POLICY, batchJobRequest, batchNames, batchRolePolicy } from '../src/plan/batch-documents.js';
import { jobProblems, reportErrorCodes } from '../src/plan/batch-failures.js';
import { objectCount } from '../src/plan/batch-steps.js';
import { setupIdOf } from '../src/plan/names.js';
import { SEED_ACCOUNTS, seedInput } from './support/fixtures.js';

const input = seedInput({ replicateExisting: true });
const setupId = setupIdOf(input, SEED_ACCOUNTS);
const names = batchNames(input, setupId);

describe('Batch Replication documents (pure)', () => {
  it('the whole bucket is replicated: manifest and report go to a bucket of their own; with a prefix, under replicate-setup-batch/ of the source', () => {
    expect(names.location).toEqual({ bucket: `replicate-setup-batch-${setupId}`, prefix: `replicate-setup-batch/${setupId}/`, ownBucket: true });
    const scoped = batchNames(seedInput({ prefix: 'incidents/' }), setupId);
    expect(scoped.location).toEqual({ bucket: input.source.bucket, prefix: `replicate-setup-batch/${setupId}/`, ownBucket: false });
    // A prefix that would select the batch location itself is not a place for it.
    expect(batchNames(seedInput({ prefix: 'replicate' }), setupId).location.ownBucket).toBe(true);
  });

  it('the role trusts S3 Batch Operations only and its policy grants exactly the issue list', () => {
    expect(BATCH_TRUST_POLICY.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    const scoped = seedInput({ prefix: 'incidents/' });
    const policy = batchRolePolicy(scoped, batchNames(scoped, setupId));
    expect(policy.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      ['s3:InitiateReplication', [`arn:aws:s3:::${scoped.source.bucket}/incidents/*`]],
      [['s3:GetReplicationConfiguration', 's3:PutInventoryConfiguration'], `arn:aws:s3:::${scoped.source.bucket}`],
      [['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], `arn:aws:s3:::${scoped.source.bucket}/replicate-setup-batch/${setupId}/*`],
    ]);
  });

  it('the token names setup, scope and attempt: the same inputs give the same token, another scope or attempt another', () => {
    const first = batchJobRequest(input, SEED_ACCOUNTS, names, 0);
    expect(batchJobRequest(input, SEED_ACCOUNTS, names, 0).ClientRequestToken).toBe(first.ClientRequestToken);
    expect(batchJobRequest(input, SEED_ACCOUNTS, names, 1).ClientRequestToken).not.toBe(first.ClientRequestToken);
    const other = seedInput({ prefix: 'other/' });
    expect(batchJobRequest(other, SEED_ACCOUNTS, batchNames(other, setupId), 0).ClientRequestToken).not.toBe(first.ClientRequestToken);
    expect(first.ClientRequestToken!.length).toBeLessThanOrEqual(64);
    expect(first.Description!.startsWith(names.setupTag)).toBe(true);
  });

  it('counts read as the preflight says them', () => {
    expect([objectCount({ count: 1, atLeast: false }), objectCount({ count: 12, atLeast: false }), objectCount({ count: 1000, atLeast: true })]).toEqual([
      '1 object',
      '12 objects',
      'at least 1,000 objects',
    ]);
  });
});

describe('failure translation (pure)', () => {
  it('FailureReasons and report error codes become causes with remedies; an unknown reason keeps AWS words', () => {
    const failed = { jobId: 'j', status: 'Failed', description: '', failureReasons: [{ code: 'KMS.AccessDenied', reason: 'Access denied to key' }] };
    expect(jobProblems(failed)[0]!.cause).toContain('KMS key policy');
    const tasks = { jobId: 'j', status: 'Complete', description: '', total: 3, succeeded: 1, failed: 2 };
    const problems = jobProblems(tasks, reportErrorCodes('b,k1,,failed,AccessDenied,403,x\nb,k2,,failed,AccessDenied,403,x\nb,k3,,succeeded,,200,\n'));
    expect(problems).toEqual([expect.objectContaining({ evidence: '2 task(s) failed with AccessDenied' })]);
    expect(jobProblems({ ...failed, failureReasons: [{ code: 'X', reason: 'something new' }] })[0]).toMatchObject({ evidence: 'X: something new' });
    expect(jobProblems({ jobId: 'j', status: 'Complete', description: '', total: 3, succeeded: 3, failed: 0 })).toEqual([]);
  });
});

describe('S3 Control requests (aws-sdk-client-mock)', () => {
  it("the job kind's create sends CreateJob with the planned request; its delete cancels by UpdateJobStatus", async () => {
    const client = new S3ControlClient({ region: 'ap-southeast-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(client);
    mock.on(CreateJobCommand).resolves({ JobId: 'job-1' });
    mock.on(UpdateJobStatusCommand).resolves({ JobId: 'job-1', Status: 'Cancelled' });
    const request = batchJobRequest(input, SEED_ACCOUNTS, names, 0);
    const base = { id: 'batch-job' as const, title: 't', side: 'source' as const, resource: 'r', dependsOn: [], kind: 'batch-job' as const, request };
    const account = { s3control: client } as unknown as Parameters<typeof batchJobKind.apply>[1];
    await batchJobKind.apply({ ...base, action: 'create' }, account);
    await batchJobKind.apply({ ...base, action: 'delete', jobId: 'job-1' }, account);
    expect(mock.commandCalls(CreateJobCommand)[0]!.args[0].input).toEqual(request);
    expect(request).toMatchObject({
      ConfirmationRequired: false,
      Operation: { S3ReplicateObject: {} },
      ManifestGenerator: { S3JobManifestGenerator: { Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ['NONE', 'FAILED'] } } },
      Report: { Enabled: true, ReportScope: 'FailedTasksOnly' },
    });
    expect(mock.commandCalls(UpdateJobStatusCommand)[0]!.args[0].input).toMatchObject({
      AccountId: '111111111111',
      JobId: 'job-1',
      RequestedJobStatus: 'Cancelled',
    });
    await cancelJob(client, '111111111111', 'job-1');
    expect(mock.commandCalls(UpdateJobStatusCommand)).toHaveLength(2);
  });

  it("ListJobs pages are followed and only this setup's jobs kept, newest first", async () => {
    const client = new S3ControlClient({ region: 'ap-southeast-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(client);
    mock
      .on(ListJobsCommand, { NextToken: undefined })
      .resolves({ Jobs: [{ JobId: 'a', Description: `${names.setupTag}x`, Status: 'Complete', CreationTime: new Date(1) }], NextToken: 't' })
      .on(ListJobsCommand, { NextToken: 't' })
      .resolves({
        Jobs: [
          { JobId: 'b', Description: `${names.setupTag}y`, Status: 'Active', CreationTime: new Date(2) },
          { JobId: 'c', Description: 'someone else' },
        ],
      });
    const jobs = await listJobs(client, '111111111111', names.setupTag);
    expect(jobs.map((job) => [job.jobId, job.status])).toEqual([
      ['b', 'Active'],
      ['a', 'Complete'],
    ]);
  });
});
