// Problems between a fleet's setups, which each setup's own validation cannot see. Pure.
import type { InputProblem } from '../errors.js';
import type { SetupInput } from './types.js';

/** A validated setup with where it stands in the file. */
export interface PlacedSetup {
  name: string;
  /** `setups[3]`. */
  path: string;
  input: SetupInput;
}

/** One bucket as a setup names it: its key in the file, and the region and profile that setup gives it. */
interface BucketUse {
  setup: PlacedSetup;
  key: 'sourceBucket' | 'destBucket';
  region: string;
  profile: string | undefined;
}

const usesOf = (setup: PlacedSetup): BucketUse[] => [
  { setup, key: 'sourceBucket', region: setup.input.source.region, profile: setup.input.source.profile },
  { setup, key: 'destBucket', region: setup.input.destination.region, profile: setup.input.destination.profile },
];

const bucketOf = (use: BucketUse): string => (use.key === 'sourceBucket' ? use.setup.input.source.bucket : use.setup.input.destination.bucket);
const at = (use: BucketUse): string => `${use.setup.path}.${use.key}`;
const named = (setup: PlacedSetup): string => `${setup.path} (${setup.name})`;

/** Every bucket name of the fleet with each setup's use of it, in file order. */
function usesByBucket(setups: readonly PlacedSetup[]): Map<string, BucketUse[]> {
  const byBucket = new Map<string, BucketUse[]>();
  for (const use of setups.flatMap(usesOf)) byBucket.set(bucketOf(use), [...(byBucket.get(bucketOf(use)) ?? []), use]);
  return byBucket;
}

/**
 * Problems visible in the file alone:
 * - two setups of one source and destination bucket: a setup's id is its buckets and accounts, so both would own the
 *   same rule, statements and policies, and each run would rewrite the other's (one setup per pair; its options, such
 *   as several readers, go in that one entry);
 * - one bucket placed in two regions: a bucket has one region, so one of the setups could never be applied.
 */
export function fleetPairProblems(setups: readonly PlacedSetup[]): InputProblem[] {
  const problems: InputProblem[] = [];
  const firstOfPair = new Map<string, PlacedSetup>();
  for (const setup of setups) {
    const pair = `${setup.input.source.bucket}\n${setup.input.destination.bucket}`;
    const first = firstOfPair.get(pair);
    if (first) {
      problems.push({
        flag: `${setup.path}.destBucket`,
        message: `replicates "${setup.input.source.bucket}" to "${setup.input.destination.bucket}" as ${named(first)} does: one setup per bucket pair (put both setups' options in one entry) [${setup.name}]`,
      });
    } else firstOfPair.set(pair, setup);
  }
  for (const [bucket, uses] of usesByBucket(setups)) {
    const first = uses[0]!;
    for (const use of uses.slice(1)) {
      if (use.region === first.region) continue;
      problems.push({
        flag: at(use),
        message: `"${bucket}" is in ${use.region} here but in ${first.region} for ${named(first.setup)}: a bucket has one region (set the same --${use.key === 'sourceBucket' ? 'source' : 'dest'}-region) [${use.setup.name}]`,
      });
    }
  }
  return problems;
}

/** Buckets that setups name with different profiles: only the accounts behind those profiles tell whether they agree. */
export function profilesToCompare(setups: readonly PlacedSetup[]): boolean {
  return [...usesByBucket(setups).values()].some((uses) => new Set(uses.map((use) => use.profile ?? '')).size > 1);
}

/**
 * One bucket placed in two accounts (known once each profile's account is): a bucket belongs to one account, so one
 * of the setups could never be applied, and which one failed would depend on which ran first. `accountOf` gives the
 * account of a profile, or undefined when it could not be asked (that setup then fails on its own).
 */
export function fleetAccountProblems(setups: readonly PlacedSetup[], accountOf: (profile: string | undefined) => string | undefined): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const [bucket, uses] of usesByBucket(setups)) {
    const placed = uses.flatMap((use) => {
      const account = accountOf(use.profile);
      return account ? [{ use, account }] : [];
    });
    const first = placed[0];
    for (const { use, account } of placed.slice(1)) {
      if (!first || account === first.account) continue;
      problems.push({
        flag: at(use),
        message: `"${bucket}" is in account ${account} here (profile ${use.profile ?? 'default'}) but in account ${first.account} for ${named(first.use.setup)} (profile ${first.use.profile ?? 'default'}): a bucket belongs to one account [${use.setup.name}]`,
      });
    }
  }
  return problems;
}
