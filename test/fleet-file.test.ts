// The fleet file, pure: JSON and YAML, defaults inherited, flags over every setup, names unique (source→dest by
// default), every problem at once with its path; and the published JSON Schema is exactly what the table gives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFileSchema } from '../src/input/config-schema.js';
import { parseConfigText, readConfigObject } from '../src/input/fleet-file.js';
import { OPTION_TABLE, SETUP_OPTION_KEYS } from '../src/input/options.js';
import { ROOT } from './support/cli.js';

const fleet = {
  defaults: { sourceProfile: 'xyz', destProfile: 'abcd', roleName: 's3_replication_role' },
  setups: [
    { name: 'incidents', sourceBucket: 'rubes-s3-bucket', destBucket: 'clint-s3-bucket', authorizedUser: ['tom-cruise'] },
    { sourceBucket: 'xyz-app-logs', destBucket: 'abcd-log-backup', preset: 'log-backup', roleName: 'log-role' },
  ],
};

describe('a fleet file', () => {
  it('each setup inherits defaults, its own keys win, flags win over both; a setup without a name is named source→dest', () => {
    const { file, problems } = readConfigObject(fleet, 'f.json', { endpointUrl: 'http://127.0.0.1:5000', roleName: 'from-flag' });
    expect(problems).toEqual([]);
    expect(file).toEqual({
      kind: 'fleet',
      entries: [
        {
          name: 'incidents',
          path: 'setups[0]',
          raw: { ...fleet.defaults, ...fleet.setups[0], name: undefined, roleName: 'from-flag', endpointUrl: 'http://127.0.0.1:5000' },
        },
        {
          name: 'xyz-app-logs→abcd-log-backup',
          path: 'setups[1]',
          raw: { ...fleet.defaults, ...fleet.setups[1], roleName: 'from-flag', endpointUrl: 'http://127.0.0.1:5000' },
        },
      ].map((entry) => ({
        ...entry,
        raw: Object.fromEntries(Object.entries(entry.raw).filter(([key]) => key !== 'name')),
        // Where a value came from when not from the setup itself: a bad one is then named there, once.
        origins: { sourceProfile: 'defaults', destProfile: 'defaults', roleName: 'flag', endpointUrl: 'flag' },
      })),
      problems: [],
    });
  });

  it('a key given twice is refused in JSON as in YAML (JSON.parse alone would keep the last one without a word)', async () => {
    const text = '{"setups": [{"sourceBucket": "a-src", "destBucket": "a-dst", "sourceBucket": "b-src"}]}';
    await expect(parseConfigText('f.json', text)).rejects.toEqual([
      { flag: '--config', message: '"f.json" gives a key twice: Map keys must be unique at line 1, column 62' },
    ]);
    await expect(parseConfigText('f.json', '{"setups": [{"sourceBucket": "a-src"}, {"sourceBucket": "b-src"}]}')).resolves.toBeDefined();
  });

  it('YAML merge keys (<<: *common) give a setup the keys of another', async () => {
    const yaml = 'setups:\n  - &base { name: a, sourceBucket: a-src, destBucket: shared-dst, prefix: in/ }\n  - { <<: *base, name: b, sourceBucket: b-src }\n';
    const { file, problems } = readConfigObject(await parseConfigText('f.yaml', yaml), 'f.yaml', {});
    expect(problems).toEqual([]);
    expect(file?.kind === 'fleet' && file.entries.map((entry) => entry.raw)).toEqual([
      { sourceBucket: 'a-src', destBucket: 'shared-dst', prefix: 'in/' },
      { sourceBucket: 'b-src', destBucket: 'shared-dst', prefix: 'in/' },
    ]);
  });

  it('YAML (.yaml and .yml) reads as the same object as JSON', async () => {
    const yaml = `defaults:\n  sourceProfile: xyz\nsetups:\n  - name: a\n    sourceBucket: "no"\n    destBucket: b-copy\n    rtc: false\n`;
    for (const path of ['f.yaml', 'f.yml']) {
      expect(await parseConfigText(path, yaml)).toEqual({
        defaults: { sourceProfile: 'xyz' },
        setups: [{ name: 'a', sourceBucket: 'no', destBucket: 'b-copy', rtc: false }],
      });
    }
    await expect(parseConfigText('f.yaml', 'a: [')).rejects.toEqual([
      expect.objectContaining({ flag: '--config', message: expect.stringMatching(/not valid YAML/) }),
    ]);
  });

  it('reports every problem at once, each with its path', () => {
    const bad = {
      defaults: { rtc: 'yes' },
      extra: 1,
      setups: [{ name: 'a', destBuckt: 'x' }, 'not an object', { name: 'a', prefix: 3 }, { name: '' }],
    };
    const { file, problems } = readConfigObject(bad, 'f.json', {});
    expect(file?.kind === 'fleet' && file.problems).toEqual(problems);
    expect(problems.map((p) => p.flag)).toEqual([
      'extra',
      'defaults.rtc',
      'setups[0].destBuckt',
      'setups[1]',
      'setups[2].prefix',
      'setups[2].name',
      'setups[3].name',
    ]);
    expect(problems.find((p) => p.flag === 'setups[2].name')!.message).toContain('"a" is also the name of setups[0]');
    // The entries keep only their sound keys, so checking their values does not name these keys again.
    expect(file?.kind === 'fleet' && file.entries.map((entry) => entry.raw)).toEqual([{}, {}, {}]);
    expect(readConfigObject({ setups: [] }, 'f.json', {}).file).toBeUndefined();
    expect(readConfigObject({ setups: [] }, 'f.json', {}).problems).toEqual([{ flag: 'setups', message: 'must be a list of at least one setup' }]);
  });

  it('a one-setup file reads as before, with $schema allowed', () => {
    expect(readConfigObject({ $schema: './schema.json', sourceBucket: 'a' }, 'f.json', { destBucket: 'b' })).toEqual({
      file: { kind: 'one', raw: { sourceBucket: 'a', destBucket: 'b' }, problems: [] },
      problems: [],
    });
  });

  it("a one-setup file's unknown or mistyped keys are named and left out; its sound keys are kept for their values' checks", () => {
    const { file, problems } = readConfigObject({ sourceBuckt: 'a', rtc: 'no', destBucket: 'Bad_Name' }, 'f.json', {});
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^"f\.json" has unknown keys: sourceBuckt /),
      '"f.json": rtc (--no-rtc) must be true or false, not "no"',
    ]);
    expect(file).toEqual({ kind: 'one', raw: { destBucket: 'Bad_Name' }, problems });
    const typed = readConfigObject({ rtc: 'no', destBucket: 'b' }, 'f.json', {});
    expect(typed.problems.map((p) => p.message)).toEqual(['"f.json": rtc (--no-rtc) must be true or false, not "no"']);
    expect(typed.file).toMatchObject({ raw: { destBucket: 'b' } });
  });
});

describe('the published JSON Schema', () => {
  it('schema/replicate-setup.schema.json is what the table of options gives (run `npm run schema` after changing the table)', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'schema', 'replicate-setup.schema.json'), 'utf8'));
    expect(committed).toEqual(configFileSchema());
  });

  it('names every setup option with its type, choices and default, and nothing else', () => {
    const schema = configFileSchema() as { $defs: { options: { properties: Record<string, Record<string, unknown>> } } };
    const properties = schema.$defs.options.properties;
    expect(Object.keys(properties)).toEqual([...SETUP_OPTION_KEYS]);
    expect(properties.encryption).toMatchObject({ enum: OPTION_TABLE.encryption.choices, default: 'sse-s3' });
    expect(properties.authorizedUser).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(properties.rtc).toMatchObject({ type: 'boolean', default: true });
  });
});
