// Two, three and ten setups sharing source buckets, destination buckets, the replication role and readers, applied in
// several orders against moto: after each run every earlier setup's own statements, rules and inline policies are
// exactly as they were, every setup verifies clean once all are applied, and a re-run of any of them changes nothing.
import { GetRolePolicyCommand, GetUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, GetBucketReplicationCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RawOptions } from '../src/input/options.js';
import { parsePolicy } from '../src/plan/compare.js';
import { isRuleOfSetup, isSidOfSetup, setupNames } from '../src/plan/names.js';
import { runVerification } from '../src/verify/index.js';
import { uniqueBucketName, useEmulator } from './support/emulator.js';
import { SEED_ACCOUNTS } from './support/fixtures.js';
import { apply, pendingOnRerun, prepare } from './support/scenario.js';

const emu = useEmulator();
afterEach(() => vi.unstubAllEnvs());

interface Setup {
  source: string;
  destination: string;
  readers: string[];
}

const raw = (setup: Setup): RawOptions => ({
  sourceProfile: 'xyz',
  sourceBucket: setup.source,
  destProfile: 'abcd',
  destBucket: setup.destination,
  ...(setup.readers.length > 0 ? { authorizedUser: setup.readers } : {}),
});

const names = (setup: Setup) => setupNames({ source: { bucket: setup.source }, destination: { bucket: setup.destination } } as never, SEED_ACCOUNTS);

const absent = async <T>(read: Promise<T>): Promise<T | 'absent'> => read.catch(() => 'absent' as const);

/** Everything one setup owns, read from the emulator: the parts no other setup's run may change. */
async function ownedParts(setup: Setup): Promise<unknown> {
  const { setupId, rolePolicy, readerPolicy } = names(setup);
  const source = emu.clients('source');
  const destination = emu.clients('destination');
  const statements = async (client: typeof source, bucket: string) =>
    absent(
      client.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })).then((r) => parsePolicy(r.Policy)?.Statement.filter((s) => isSidOfSetup(setupId, s.Sid))),
    );
  return {
    source: await statements(source, setup.source),
    destination: await statements(destination, setup.destination),
    rules: await absent(
      source.s3
        .send(new GetBucketReplicationCommand({ Bucket: setup.source }))
        .then((r) => r.ReplicationConfiguration?.Rules?.filter((rule) => isRuleOfSetup(setupId, rule.ID))),
    ),
    role: await absent(
      source.iam.send(new GetRolePolicyCommand({ RoleName: 's3-replication-role', PolicyName: rolePolicy })).then((r) => parsePolicy(r.PolicyDocument)),
    ),
    readers: await Promise.all(
      setup.readers.map((UserName) =>
        absent(destination.iam.send(new GetUserPolicyCommand({ UserName, PolicyName: readerPolicy })).then((r) => parsePolicy(r.PolicyDocument))),
      ),
    ),
  };
}

/** Applies the setups in this order, checking after each run that every earlier one's parts are untouched. */
async function applyAll(setups: Setup[]): Promise<void> {
  const done: { setup: Setup; parts: unknown }[] = [];
  for (const setup of setups) {
    const before = await Promise.all(done.map(({ setup: other }) => ownedParts(other)));
    await apply(emu, raw(setup));
    const after = await Promise.all(done.map(({ setup: other }) => ownedParts(other)));
    expect(after, `applying ${setup.source} → ${setup.destination}`).toEqual(before);
    const parts = await ownedParts(setup);
    // The parts compared are real: the setup's own rule, role policy and destination grants exist.
    expect(parts).toMatchObject({ rules: [expect.anything()], role: { Statement: expect.any(Array) }, destination: [expect.anything(), expect.anything()] });
    done.push({ setup, parts });
  }
  for (const { setup } of done) {
    const { prepared, clients } = await prepare(emu, raw(setup));
    const report = await runVerification(prepared.input, clients, { expectDenied: [], probes: [] }, () => undefined);
    expect(
      report.checks.filter((check) => check.status === 'fail').map((check) => `${check.id}: ${check.message}`),
      `${setup.source} → ${setup.destination}`,
    ).toEqual([]);
    expect(await pendingOnRerun(emu, raw(setup)), `re-run of ${setup.source} → ${setup.destination}`).toEqual([]);
  }
}

const bucket = (name: string): string => uniqueBucketName(name);

describe('setups sharing buckets, the role and readers (emulator)', () => {
  it.each([
    ['in order', [0, 1]],
    ['in reverse', [1, 0]],
  ])('two: one source to two destinations, %s', async (_order, order) => {
    const source = bucket('partner-incidents');
    const setups = [
      { source, destination: bucket('company-a'), readers: ['tom-cruise'] },
      { source, destination: bucket('company-b'), readers: ['clint-eastwood'] },
    ];
    await applyAll(order.map((i) => setups[i]!));
  });

  it.each([
    ['in order', [0, 1, 2]],
    ['in another order', [2, 0, 1]],
  ])('three: two sources into one destination, one reader of every bucket, %s', async (_order, order) => {
    const destination = bucket('company-archive');
    const setups = [
      { source: bucket('partner-one'), destination, readers: ['tom-cruise'] },
      { source: bucket('partner-two'), destination, readers: ['tom-cruise'] },
      { source: bucket('partner-one-extra'), destination: bucket('company-other'), readers: ['tom-cruise', 'clint-eastwood'] },
    ];
    await applyAll(order.map((i) => setups[i]!));
  });

  it('ten: four sources, three destinations, one role, shared readers, in a shuffled order', async () => {
    const sources = ['s-one', 's-two', 's-three', 's-four'].map(bucket);
    const destinations = ['d-one', 'd-two', 'd-three'].map(bucket);
    const pairs: [number, number][] = [
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [2, 0],
      [2, 2],
      [1, 2],
      [2, 1],
      [3, 0],
    ];
    const setups = pairs.map(([s, d], i) => ({
      source: sources[s]!,
      destination: destinations[d]!,
      readers: i % 3 === 0 ? ['tom-cruise', 'clint-eastwood'] : ['tom-cruise'],
    }));
    // A fixed shuffle, so a failure can be replayed.
    const order = [7, 2, 9, 0, 5, 3, 8, 1, 6, 4];
    await applyAll(order.map((i) => setups[i]!));
  }, 120_000);
});
