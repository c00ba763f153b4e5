// The export from the pure planner (test/support/simulate.ts freshLive: nothing exists yet), no emulator: the fast
// cases. Terraform is read back with HashiCorp's parser and formatter, CloudFormation linted by cfn-lint.

import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { templateYaml } from '../src/export/cloudformation.js';
import { exportSetup } from '../src/export/index.js';
import type { SetupInput } from '../src/input/types.js';
import { planChanges } from '../src/kinds/planner.js';
import type { PreparedSetup } from '../src/plan/prepared.js';
import { anchorsAndAliases, checkTerraform, lintCloudFormation } from './support/export-checks.js';
import { SEED_ACCOUNTS, seedInput } from './support/fixtures.js';
import { ref } from './support/hcl.js';
import { freshLive } from './support/simulate.js';

const prepared = (input: SetupInput): PreparedSetup => {
  const live = freshLive(input, SEED_ACCOUNTS);
  const withKeys =
    input.encryption === 'sse-kms'
      ? { ...live, kms: { source: { alias: 'alias/replicate-setup-rubes-s3-bucket' }, destination: { alias: 'alias/replicate-setup-clint-s3-bucket' } } }
      : live;
  return { input, accounts: SEED_ACCOUNTS, live: withKeys, plan: planChanges(input, SEED_ACCOUNTS, withKeys, { replicationEchoIsFaithful: true }) };
};

const CASES: [string, SetupInput][] = [
  ['seed', seedInput()],
  ['prefix', seedInput({ prefix: 'incidents/' })],
  ['uploaders', seedInput({ prefix: 'incidents/', uploaders: ['alice', 'bob'] })],
  ['sse-kms with new keys (documents as planned once the keys exist, as apply does)', seedInput({ encryption: 'sse-kms' })],
  ['log-backup with a storage class', seedInput({ preset: 'log-backup', prefix: 'app-logs/', storageClass: 'STANDARD_IA' })],
];

describe('export from the pure planner', () => {
  it.each(CASES)('%s: Terraform policies equal the plan documents, formatted canonically, nothing imported', async (_name, input) => {
    const { parsed } = await checkTerraform(prepared(input));
    expect(parsed.import ?? []).toEqual([]);
    expect(parsed.provider.aws!.map((p) => p.alias)).toEqual(['source', 'destination']);
    expect(parsed.resource.aws_s3_bucket_replication_configuration!.source![0]!.depends_on).toEqual(
      expect.arrayContaining([ref('aws_s3_bucket_versioning.source'), ref('aws_s3_bucket_versioning.destination')]),
    );
  });

  it.each(CASES)('%s: both CloudFormation templates pass cfn-lint with no error', async (_name, input) => {
    const { files, errors } = await lintCloudFormation(prepared(input));
    expect(errors).toEqual([]);
    expect(Object.keys(files)).toEqual(['destination.template.yaml', 'source.template.yaml', 'README.md']);
  });

  it('sse-kms: a new key is a resource in its own template and a parameter of the other, never the "(known after apply)" text', () => {
    const { files } = exportSetup(prepared(seedInput({ encryption: 'sse-kms' })), 'cloudformation');
    const [destination, source] = files.map((file) => file.content);
    expect(`${destination}${source}`).not.toContain('known after apply');
    expect(parseYaml(destination!).Parameters.SourceKmsKeyArn.Type).toBe('String');
    expect(parseYaml(source!).Parameters.DestinationKmsKeyArn.Type).toBe('String');
    expect(parseYaml(source!).Resources.SourceKmsKey.Type).toBe('AWS::KMS::Key');
  });

  it('a template never has a YAML anchor or alias, whatever objects it shares (CloudFormation rejects them)', () => {
    const shared = { Ref: 'Shared' };
    const resources = { A: { Type: 'T', Properties: { X: shared } }, B: { Type: 'T', Properties: { X: shared, Y: [shared] } } };
    const text = templateYaml({ side: 'source', template: { Resources: resources }, comments: {}, imports: [] }, []);
    expect(anchorsAndAliases(text)).toEqual([]);
    expect(parseYaml(text).Resources).toEqual(resources);
  });

  it('CloudFormation on stdout is one multi-document YAML stream, the destination template first', () => {
    const { stdout } = exportSetup(prepared(seedInput()), 'cloudformation');
    const docs = parseAllDocuments(stdout).map((doc) => doc.toJS());
    expect(docs.map((doc) => Object.keys(doc.Resources)[0])).toEqual([
      'DestinationBucket',
      'SourceKmsKey' in docs[1].Resources ? 'SourceKmsKey' : 'ReplicationRole',
    ]);
  });
});
