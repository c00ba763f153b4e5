// The published JSON Schema, read by a real validator (Ajv, JSON Schema 2020-12) as an editor would: it accepts the
// README's fleet example and the files the tool accepts, and refuses what the tool refuses (unknown keys, wrong
// types, choices that do not exist), at the same path the tool names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseConfigText, readConfigObject } from '../src/input/fleet-file.js';
import { ROOT } from './support/cli.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'replicate-setup.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const paths = (file: unknown): string[] => (validate(file) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

/** The README's fleet example, as a user copies it. */
async function readmeFleet(): Promise<unknown> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const example = /```yaml\n# fleet\.yaml\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example, 'README has a fleet.yaml example').toBeDefined();
  return parseConfigText('fleet.yaml', example!);
}

describe('the published JSON Schema, as an editor reads it (Ajv)', () => {
  it("accepts the README's fleet example, which the tool reads without a problem", async () => {
    const file = await readmeFleet();
    expect(paths(file)).toEqual([]);
    expect(readConfigObject(file, 'fleet.yaml', {}).problems).toEqual([]);
  });

  it('accepts a one-setup file with $schema, and the fleet of the issue that asked for it', () => {
    expect(paths({ $schema: './schema.json', sourceBucket: 'a', destBucket: 'b', rtc: false, authorizedUser: ['tom-cruise'] })).toEqual([]);
    const issue = {
      defaults: { sourceProfile: 'xyz', destProfile: 'abcd', roleName: 's3_replication_role' },
      setups: [
        { name: 'incidents', sourceBucket: 'rubes-s3-bucket', destBucket: 'clint-s3-bucket', authorizedUser: ['tom-cruise'] },
        { name: 'logs', sourceBucket: 'xyz-app-logs', destBucket: 'abcd-log-backup', preset: 'log-backup' },
      ],
    };
    expect(paths(issue)).toEqual([]);
  });

  it('refuses what the tool refuses, at the same place', () => {
    const wrong = { defaults: { rtc: 'no' }, setups: [{ sourceBuckt: 'a' }, { encryption: 'aes' }, { authorizedUser: 'tom-cruise' }] };
    expect(paths(wrong)).toEqual(
      expect.arrayContaining([
        '/defaults/rtc must be boolean',
        '/setups/0 must NOT have additional properties',
        '/setups/1/encryption must be equal to one of the allowed values',
        '/setups/2/authorizedUser must be array',
      ]),
    );
    const tool = readConfigObject(wrong, 'fleet.json', {}).problems.map((p) => p.flag);
    expect(tool).toEqual(expect.arrayContaining(['defaults.rtc', 'setups[0].sourceBuckt', 'setups[2].authorizedUser']));
    expect(paths({ sourceBuckt: 'a' })).toContain(' must NOT have additional properties');
    expect(paths({ setups: [] })).toContain('/setups must NOT have fewer than 1 items');
    // A storage class is a value the tool checks itself (not the flag parser): the schema lists the same ones.
    expect(paths({ storageClass: 'standard_ia' })).toContain('/storageClass must be equal to one of the allowed values');
    expect(paths({ storageClass: 'STANDARD_IA' })).toEqual([]);
  });
});
