// Problems between a fleet's setups, pure: two setups of one bucket pair, one bucket in two regions or two accounts.
// The same checks through the built CLI, with nothing written, are in fleet-emulator.test.ts.
import { describe, expect, it } from 'vitest';
import { fleetAccountProblems, fleetPairProblems, type PlacedSetup, profilesToCompare } from '../src/input/fleet-consistency.js';
import type { SetupInput } from '../src/input/types.js';
import { seedInput } from './support/fixtures.js';

const setup = (index: number, name: string, source: Partial<SetupInput['source']>, destination: Partial<SetupInput['destination']>): PlacedSetup => {
  const seed = seedInput();
  return {
    name,
    path: `setups[${index}]`,
    input: seedInput({ source: { ...seed.source, bucket: 'src', ...source }, destination: { ...seed.destination, bucket: 'dst', ...destination } }),
  };
};

describe("a fleet's setups agree with each other", () => {
  it('shared sources, shared destinations and a chain through one bucket, all in one place: no problem', () => {
    const setups = [
      setup(0, 'a', { bucket: 'one-src' }, { bucket: 'shared-dst' }),
      setup(1, 'b', { bucket: 'two-src' }, { bucket: 'shared-dst' }),
      setup(2, 'c', { bucket: 'one-src' }, { bucket: 'other-dst' }),
      setup(3, 'd', { bucket: 'other-dst', profile: 'abcd', region: 'ap-southeast-2' }, { bucket: 'far-dst' }),
    ];
    expect(fleetPairProblems(setups)).toEqual([]);
    expect(profilesToCompare(setups)).toBe(false);
  });

  it('two setups of one bucket pair are refused at the later one, naming the first', () => {
    const problems = fleetPairProblems([setup(0, 'd1', {}, {}), setup(1, 'other', { bucket: 'x' }, {}), setup(2, 'd2', {}, {})]);
    expect(problems).toEqual([
      {
        flag: 'setups[2].destBucket',
        message: 'replicates "src" to "dst" as setups[0] (d1) does: one setup per bucket pair (put both setups\' options in one entry) [d2]',
      },
    ]);
  });

  it('one bucket in two regions is refused, whichever side each setup names it on', () => {
    const problems = fleetPairProblems([
      setup(0, 'r1', { bucket: 'a' }, { bucket: 'mid' }),
      setup(1, 'r2', { bucket: 'mid', region: 'us-east-1' }, { bucket: 'z' }),
    ]);
    expect(problems).toEqual([
      {
        flag: 'setups[1].sourceBucket',
        message: '"mid" is in us-east-1 here but in ap-southeast-2 for setups[0] (r1): a bucket has one region (set the same --source-region) [r2]',
      },
    ]);
  });

  it('one bucket named with two profiles: refused when their accounts differ, accepted when they are one, unjudged when one is unknown', () => {
    const setups = [
      setup(0, 'x1', { bucket: 'a' }, { bucket: 'mid' }),
      setup(1, 'x2', { bucket: 'mid', profile: 'xyz', region: 'ap-southeast-2' }, { bucket: 'z' }),
    ];
    expect(profilesToCompare(setups)).toBe(true);
    const accounts: Record<string, string | undefined> = { xyz: '111111111111', abcd: '222222222222' };
    expect(fleetAccountProblems(setups, (profile) => accounts[profile ?? ''])).toEqual([
      {
        flag: 'setups[1].sourceBucket',
        message:
          '"mid" is in account 111111111111 here (profile xyz) but in account 222222222222 for setups[0] (x1) (profile abcd): a bucket belongs to one account [x2]',
      },
    ]);
    expect(fleetAccountProblems(setups, () => '111111111111')).toEqual([]);
    expect(fleetAccountProblems(setups, (profile) => (profile === 'xyz' ? undefined : '222222222222'))).toEqual([]);
  });
});
