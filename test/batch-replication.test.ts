// Existing objects and S3 Batch Replication through the built CLI. moto has no S3 Control jobs API: the CLI's
// --endpoint-url points at a small fake of it (test/support/s3control-fake.ts) that answers /v20180820/jobs itself
// and forwards everything else to moto, so buckets, objects, roles and policies are real moto state while the jobs
// are the fake's. Every test name says which part is the fake.
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, onlyJsonObject, runCli, seedArgs } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { S3ControlFake } from './support/s3control-fake.js';

const emu = useEmulator();
const fake = new S3ControlFake(() => emu.endpoint);
let fakeUrl = '';

beforeAll(async () => {
  await ensureBuilt();
  fakeUrl = await fake.start();
}, 180_000);
afterAll(() => fake.stop());

let names: { src: string; dst: string; role: string };
beforeEach(() => {
  fake.reset({ tasks: 12 });
  names = { src: uniqueBucketName('batch-src'), dst: uniqueBucketName('batch-dst'), role: 's3_replication_role' };
});

const env = (extra: Record<string, string> = {}) => ({ ...emu.env, AWS_ENDPOINT_URL: fakeUrl, REPLICATE_SETUP_JOB_POLL_MS: '20', ...extra });

/** The source bucket with `count` objects under `prefix`, before any setup. */
async function sourceWithObjects(count: number, prefix = 'incidents/'): Promise<void> {
  const { s3 } = emu.clients('source');
  await s3.send(new CreateBucketCommand({ Bucket: names.src, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-1' } }));
  for (let i = 0; i < count; i++) await s3.send(new PutObjectCommand({ Bucket: names.src, Key: `${prefix}report-${i}.txt`, Body: `report ${i}` }));
}

const createJobRequests = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v20180820/jobs');
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

describe('existing objects: preflight and plan (moto; jobs API fake)', () => {
  it('plan counts the 12 objects already in scope and says the rule will not copy them, and how to include them', async () => {
    await sourceWithObjects(12);
    const plan = await runCli(['plan', ...seedArgs(names)], env());
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`${names.src} already holds 12 objects in the replicated scope`);
    expect(plan.stdout).toContain('will not be replicated');
    expect(plan.stdout).toContain('--replicate-existing');
    // Without the flag no S3 Control call is made at all.
    expect(fake.requests).toEqual([]);
  });

  it('an empty source bucket gets no batch step even with --replicate-existing', async () => {
    const plan = await runCli(['plan', ...seedArgs(names), '--replicate-existing', '--json'], env());
    expect(plan.code, plan.stderr).toBe(0);
    const steps = (onlyJsonObject(plan.stdout).steps ?? onlyJsonObject(plan.stdout).changes) as { id: string }[];
    expect(steps.map((s) => s.id).filter((id) => id.startsWith('batch-'))).toEqual([]);
  });
});

describe('wizard --replicate-existing (built CLI; S3 Control jobs API fake in front of moto)', () => {
  it('creates one job of exactly the issue shape, a least-privilege batch role in moto, and a re-run creates no second job', async () => {
    await sourceWithObjects(12);
    const first = await runCli(['wizard', '--yes', ...seedArgs(names), '--replicate-existing', '--json'], env());
    expect(first.code, first.stderr).toBe(0);
    const steps = onlyJsonObject(first.stdout).steps as { id: string; action: string; status: string }[];
    expect(steps.filter((s) => s.id.startsWith('batch-')).map((s) => [s.id, s.action, s.status])).toEqual([
      ['batch-role', 'create', 'done'],
      ['batch-bucket', 'create', 'done'],
      ['batch-job', 'create', 'done'],
    ]);

    expect(createJobRequests()).toHaveLength(1);
    const request = createJobRequests()[0]!.body!;
    const generator = (request.ManifestGenerator as Record<string, Record<string, unknown>>).S3JobManifestGenerator!;
    const filter = generator.Filter as Record<string, unknown>;
    expect(request.Operation).toHaveProperty('S3ReplicateObject');
    expect(request.ConfirmationRequired).toBe('false');
    expect(generator.SourceBucket).toBe(`arn:aws:s3:::${names.src}`);
    expect(filter.EligibleForReplication).toBe('true');
    expect(asList((filter.ObjectReplicationStatuses as { member: unknown }).member)).toEqual(['NONE', 'FAILED']);
    // The whole bucket is replicated: manifest and report go to a bucket of their own, never into the scope.
    const report = request.Report as Record<string, string>;
    expect(report).toMatchObject({ Enabled: 'true', ReportScope: 'FailedTasksOnly' });
    expect(report.Bucket).toMatch(/^arn:aws:s3:::replicate-setup-batch-[0-9a-f]{12}$/);
    expect(report.Bucket).not.toBe(`arn:aws:s3:::${names.src}`);
    expect(String(request.ClientRequestToken)).toMatch(/^replicate-setup-batch:[0-9a-f]{12}:[0-9a-f]{8}:0$/);
    expect(String(request.RoleArn)).toMatch(/^arn:aws:iam::111111111111:role\/replicate-setup-batch-[0-9a-f]{12}$/);

    const { iam, s3 } = emu.clients('source');
    const roleName = String(request.RoleArn).split('/').pop()!;
    const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    const trust = JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!));
    expect(trust.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'batchoperations.s3.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    const policy = JSON.parse(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: roleName }))).PolicyDocument!));
    const location = `${report.Bucket}/replicate-setup-batch/`;
    expect(policy.Statement.map((s: { Action: unknown; Resource: unknown }) => [asList(s.Action), asList(s.Resource)])).toEqual([
      [['s3:InitiateReplication'], [`arn:aws:s3:::${names.src}/*`]],
      [['s3:GetReplicationConfiguration', 's3:PutInventoryConfiguration'], [`arn:aws:s3:::${names.src}`]],
      [
        ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
        [expect.stringMatching(new RegExp(`^${location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[0-9a-f]{12}/\\*$`))],
      ],
    ]);
    await expect(s3.send(new HeadBucketCommand({ Bucket: String(report.Bucket).replace('arn:aws:s3:::', '') }))).resolves.toBeDefined();

    const again = await runCli(['wizard', '--yes', ...seedArgs(names), '--replicate-existing', '--json'], env());
    expect(again.code, again.stderr).toBe(0);
    const secondSteps = onlyJsonObject(again.stdout).steps as { id: string; action: string }[];
    expect(secondSteps.find((s) => s.id === 'batch-job')?.action).toBe('no-op');
    expect(createJobRequests()).toHaveLength(1);
  });

  it('a prefix scope: KeyNameConstraint is the prefix, manifest and report go under replicate-setup-batch/ of the source bucket (no bucket of its own)', async () => {
    await sourceWithObjects(3, 'incidents/');
    const run = await runCli(['wizard', '--yes', ...seedArgs(names), '--prefix', 'incidents/', '--replicate-existing', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const steps = onlyJsonObject(run.stdout).steps as { id: string }[];
    expect(steps.map((s) => s.id)).not.toContain('batch-bucket');
    const request = createJobRequests()[0]!.body!;
    const filter = (request.ManifestGenerator as Record<string, Record<string, Record<string, unknown>>>).S3JobManifestGenerator!.Filter!;
    expect(asList((filter.KeyNameConstraint as { MatchAnyPrefix: { member: unknown } }).MatchAnyPrefix.member)).toEqual(['incidents/']);
    expect(request.Report).toMatchObject({ Bucket: `arn:aws:s3:::${names.src}`, Prefix: expect.stringMatching(/^replicate-setup-batch\/[0-9a-f]{12}\/$/) });
  });
});

describe('jobs (built CLI; S3 Control jobs API fake, completion report in moto)', () => {
  it('--wait follows New → Preparing → Active → Complete and reports 12 of 12 tasks; the text view shows each state', async () => {
    await sourceWithObjects(12);
    expect((await runCli(['wizard', '--yes', ...seedArgs(names), '--replicate-existing', '--json'], env())).code).toBe(0);
    const text = await runCli(['jobs', ...seedArgs(names), '--wait'], env());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/Preparing, tasks not counted yet/);
    expect(text.stderr).toMatch(/Active, 12 tasks: 6 succeeded, 0 failed/);
    expect(text.stdout).toMatch(/Complete {2}12 tasks: 12 succeeded, 0 failed {2}elapsed \d+/);
    const json = await runCli(['jobs', ...seedArgs(names), '--json'], env());
    expect(json.code, json.stderr).toBe(0);
    expect(onlyJsonObject(json.stdout)).toMatchObject({
      command: 'jobs',
      ok: true,
      jobs: [{ status: 'Complete', total: 12, succeeded: 12, failed: 0, problems: [] }],
    });
  });

  it('failed tasks are translated from the completion report into a cause and a remedy (exit 1)', async () => {
    await sourceWithObjects(12);
    const { s3 } = emu.clients('source');
    fake.reset({
      tasks: 12,
      failTasks: { count: 2, code: 'AccessDenied' },
      writeReport: async (Bucket, Key, Body) => void (await s3.send(new PutObjectCommand({ Bucket, Key, Body }))),
    });
    expect((await runCli(['wizard', '--yes', ...seedArgs(names), '--replicate-existing', '--json'], env())).code).toBe(0);
    const run = await runCli(['jobs', ...seedArgs(names), '--wait', '--json'], env());
    expect(run.code, run.stderr).toBe(1);
    const job = (onlyJsonObject(run.stdout).jobs as { failed: number; problems: { cause: string; evidence: string; remedy: string }[] }[])[0]!;
    expect(job.failed).toBe(2);
    expect(job.problems).toEqual([
      expect.objectContaining({ evidence: '2 task(s) failed with AccessDenied', cause: expect.stringContaining("destination bucket's policy") }),
    ]);
  });

  it('a failed job is translated from its FailureReasons (a destination in the wrong region)', async () => {
    await sourceWithObjects(1);
    fake.reset({ tasks: 1, failJob: { code: 'InvalidRequest', reason: 'The destination bucket is in a different region than the replication rule expects' } });
    expect((await runCli(['wizard', '--yes', ...seedArgs(names), '--replicate-existing', '--json'], env())).code).toBe(0);
    const run = await runCli(['jobs', ...seedArgs(names), '--wait'], env());
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('Failed');
    expect(run.stdout).toContain('the destination bucket is not in the region');
    expect(run.stdout).toContain('What to do: Check --dest-region');
  });
});

describe('teardown, permissions and export (built CLI; S3 Control jobs API fake in front of moto)', () => {
  it('teardown --yes cancels the running job, removes the batch role and the reports bucket', async () => {
    await sourceWithObjects(2);
    expect((await runCli(['wizard', '--yes', ...seedArgs(names), '--replicate-existing', '--json'], env())).code).toBe(0);
    const roleName = String(createJobRequests()[0]!.body!.RoleArn).split('/').pop()!;
    const reports = String((createJobRequests()[0]!.body!.Report as { Bucket: string }).Bucket).replace('arn:aws:s3:::', '');
    const down = await runCli(['teardown', '--yes', ...seedArgs(names), '--json'], env());
    expect(down.code, down.stderr).toBe(0);
    expect(fake.requests.some((r) => r.method === 'POST' && /\/status\?.*requestedJobStatus=Cancelled/.test(r.path))).toBe(true);
    expect(fake.jobs[0]!.status).toBe('Cancelled');
    const { iam, s3 } = emu.clients('source');
    await expect(iam.send(new GetRoleCommand({ RoleName: roleName }))).rejects.toMatchObject({ name: expect.stringMatching(/^NoSuchEntity/) });
    await expect(s3.send(new HeadBucketCommand({ Bucket: reports }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('permissions lists the job calls and iam:PassRole on the batch role', async () => {
    await sourceWithObjects(2);
    const run = await runCli(['permissions', ...seedArgs(names), '--replicate-existing', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const text = run.stdout;
    for (const action of ['s3:CreateJob', 's3:ListJobs', 's3:DescribeJob', 's3:PutJobTagging']) expect(text).toContain(action);
    expect(text).toMatch(/iam:PassRole[\s\S]*role\/replicate-setup-batch-[0-9a-f]{12}/);
  });

  it('export writes the batch role (Terraform and CloudFormation), not the job, which has no resource type', async () => {
    await sourceWithObjects(2);
    const terraform = await runCli(['export', '--format', 'terraform', ...seedArgs(names), '--replicate-existing'], env());
    expect(terraform.code, terraform.stderr).toBe(0);
    expect(terraform.stdout).toContain('resource "aws_iam_role" "batch"');
    expect(terraform.stdout).toContain('batchoperations.s3.amazonaws.com');
    expect(terraform.stdout).toContain('s3:InitiateReplication');
    const cfn = await runCli(['export', '--format', 'cloudformation', ...seedArgs(names), '--replicate-existing'], env());
    expect(cfn.code, cfn.stderr).toBe(0);
    expect(cfn.stdout).toContain('BatchReplicationRole');
    expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});
