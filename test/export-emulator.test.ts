// `export` against moto with the walkthrough's two accounts: the setup is read as `plan` reads it (nothing written),
// then exported; CloudFormation templates must pass cfn-lint, Terraform must parse back to the plan's documents. Also
// after a real apply: what exists is imported (Terraform import blocks, CloudFormation DeletionPolicy: Retain).
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createIamUsers } from '../src/emulator/accounts.js';
import { exportSetup } from '../src/export/index.js';
import type { RawOptions } from '../src/input/options.js';
import { ensureBuilt, runCli, seedArgs } from './support/cli.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { checkTerraform, lintCloudFormation } from './support/export-checks.js';
import { ref } from './support/hcl.js';
import { isWrite } from './support/record.js';
import { apply, crossAccount, prepare } from './support/scenario.js';

const emu = useEmulator();
beforeAll(ensureBuilt, 120_000);
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const SEED = crossAccount('rubes-s3-bucket', 'clint-s3-bucket', { authorizedUser: ['tom-cruise'] });
const buckets = () => ({ source: uniqueBucketName('rubes'), destination: uniqueBucketName('clint') });
const SCENARIOS: [string, (b: { source: string; destination: string }) => RawOptions][] = [
  ['prefix', (b) => crossAccount(b.source, b.destination, { prefix: 'incidents/', authorizedUser: ['tom-cruise'] })],
  ['uploaders', (b) => crossAccount(b.source, b.destination, { prefix: 'incidents/', uploader: ['alice', 'bob'], authorizedUser: ['tom-cruise'] })],
  ['sse-kms', (b) => crossAccount(b.source, b.destination, { encryption: 'sse-kms', authorizedUser: ['tom-cruise'] })],
  ['log-backup', (b) => crossAccount(b.source, b.destination, { preset: 'log-backup', prefix: 'app-logs/' })],
  ['storage class', (b) => crossAccount(b.source, b.destination, { storageClass: 'STANDARD_IA', authorizedUser: ['tom-cruise'] })],
];

describe('export of the seed setup (read from moto, nothing written)', () => {
  it('writes no AWS call that changes anything, and matches the reviewed snapshots of both formats', async () => {
    const { prepared, calls } = await prepare(emu, SEED);
    expect(calls.filter(isWrite)).toEqual([]);
    const terraform = exportSetup(prepared, 'terraform');
    await expect(terraform.stdout).toMatchFileSnapshot('__snapshots__/export-seed/main.tf');
    for (const file of exportSetup(prepared, 'cloudformation').files) {
      await expect(file.content).toMatchFileSnapshot(`__snapshots__/export-seed/${file.path}`);
    }
  });

  it('Terraform: every policy equals the plan document, provider aliases, depends_on both versionings, canonical format', async () => {
    const { prepared } = await prepare(emu, SEED);
    const { parsed } = await checkTerraform(prepared);
    expect(parsed.provider.aws!.map((p) => [p.alias, p.profile, p.region])).toEqual([
      ['source', ref('var.source_profile'), ref('var.source_region')],
      ['destination', ref('var.destination_profile'), ref('var.destination_region')],
    ]);
    expect(parsed.variable.source_profile![0]!.default).toBe('xyz');
    expect(parsed.resource.aws_s3_bucket_replication_configuration!.source![0]!.depends_on).toEqual(
      expect.arrayContaining([ref('aws_s3_bucket_versioning.source'), ref('aws_s3_bucket_versioning.destination')]),
    );
    expect(parsed.import ?? []).toEqual([]);
  });

  it('CloudFormation: both templates pass cfn-lint with no error; the destination is listed first', async () => {
    const { prepared } = await prepare(emu, SEED);
    const { files, errors } = await lintCloudFormation(prepared);
    expect(errors).toEqual([]);
    expect(Object.keys(files)[0]).toBe('destination.template.yaml');
    expect(files['README.md']).toContain('aws cloudformation deploy --profile abcd');
  });
});

describe('export of each scenario (read from moto)', () => {
  it.each(SCENARIOS)('%s: Terraform parses back to the plan documents and both templates pass cfn-lint', async (name, raw) => {
    const b = buckets();
    if (name === 'uploaders') await createIamUsers(emu.endpoint, emu.setup.credentials.source, ['alice', 'bob']);
    const { prepared, calls } = await prepare(emu, raw(b));
    expect(calls.filter(isWrite)).toEqual([]);
    await checkTerraform(prepared);
    const { errors } = await lintCloudFormation(prepared);
    expect(errors).toEqual([]);
  });
});

describe('export of failure alerts (read from moto, nothing written)', () => {
  it('alerts on: the topic policy equals the plan document, main.tf is canonical, cfn-lint finds no error in either template', async () => {
    const b = buckets();
    const { prepared, calls } = await prepare(emu, crossAccount(b.source, b.destination, { alertEmail: ['ops@example.com'], authorizedUser: ['tom-cruise'] }));
    expect(calls.filter(isWrite)).toEqual([]);
    const { parsed } = await checkTerraform(prepared);
    expect(Object.keys(parsed.resource)).toEqual(
      expect.arrayContaining([
        'aws_sns_topic',
        'aws_sns_topic_policy',
        'aws_sns_topic_subscription',
        'aws_s3_bucket_notification',
        'aws_cloudwatch_metric_alarm',
      ]),
    );
    const { files, errors } = await lintCloudFormation(prepared);
    expect(errors).toEqual([]);
    const types = Object.values(parseYaml(files['source.template.yaml']!).Resources).map((r) => (r as { Type: string }).Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::SNS::Topic', 'AWS::SNS::TopicPolicy', 'AWS::SNS::Subscription', 'AWS::CloudWatch::Alarm']));
  });
});

describe('export after the setup exists (adopting, never creating twice)', () => {
  it('Terraform imports every existing resource; CloudFormation retains them and the README lists their imports', async () => {
    await apply(emu, SEED);
    const { prepared } = await prepare(emu, SEED);
    const { parsed } = await checkTerraform(prepared);
    const imported = (parsed.import ?? []).map((block) => [block.to, block.provider, block.id]);
    expect(imported).toEqual(
      expect.arrayContaining([
        [ref('aws_s3_bucket.source'), ref('aws.source'), 'rubes-s3-bucket'],
        [ref('aws_s3_bucket.destination'), ref('aws.destination'), 'clint-s3-bucket'],
        [ref('aws_iam_role.replication'), ref('aws.source'), 's3_replication_role'],
        [ref('aws_s3_bucket_replication_configuration.source'), ref('aws.source'), 'rubes-s3-bucket'],
        [ref('aws_s3_bucket_policy.destination'), ref('aws.destination'), 'clint-s3-bucket'],
      ]),
    );
    const { files, errors } = await lintCloudFormation(prepared);
    expect(errors).toEqual([]);
    const destination = parseYaml(files['destination.template.yaml']!);
    expect(destination.Resources.DestinationBucket.DeletionPolicy).toBe('Retain');
    expect(files['README.md']).toContain('`DestinationBucket` (AWS::S3::Bucket), identifier BucketName=clint-s3-bucket');
  });
});

describe('replicate-setup export (the built CLI)', () => {
  it('prints main.tf on stdout, writes the CloudFormation files with --out, and refuses a missing --format with exit 2', async () => {
    const args = seedArgs({ src: 'rubes-s3-bucket', dst: 'clint-s3-bucket', role: 's3_replication_role' });
    const env = { ...emu.env, AWS_ENDPOINT_URL: emu.endpoint };
    const tf = await runCli(['export', '--format', 'terraform', ...args], env);
    expect(tf.code).toBe(0);
    expect(tf.stdout).toContain('resource "aws_s3_bucket_replication_configuration" "source" {');

    const out = await mkdtemp(join(tmpdir(), 'replicate-setup-export-'));
    const cfn = await runCli(['export', '--format', 'cloudformation', '--out', out, ...args], env);
    expect(cfn.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['README.md', 'destination.template.yaml', 'source.template.yaml']);
    expect(await readFile(join(out, 'source.template.yaml'), 'utf8')).toContain('AWS::S3::Bucket');

    const missing = await runCli(['export', ...args, '--json'], env);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('--format');
  });
});
