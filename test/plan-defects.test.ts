// Issue 10's "other defects", the pure planner's part: each case the plan must get right before anything is written.
import { describe, expect, it } from 'vitest';
import { planChanges } from '../src/kinds/planner.js';
import type { Change, Plan } from '../src/plan/changes.js';
import type { PlanOptions } from '../src/plan/context.js';
import type { LiveState } from '../src/plan/live.js';
import { SAME_ACCOUNT, SEED_ACCOUNTS, seedInput } from './support/fixtures.js';
import { freshLive } from './support/simulate.js';

const AWS: PlanOptions = { replicationEchoIsFaithful: true };

const change = (plan: Plan, id: string): Change => {
  const found = plan.changes.find((c) => c.id === id);
  if (!found) throw new Error(`no change ${id} in ${plan.changes.map((c) => c.id).join(', ')}`);
  return found;
};

/** sse-kms with neither key there yet: the tool's aliases, to be created. */
function withNewKeys(live: LiveState): LiveState {
  return {
    ...live,
    kms: {
      source: { alias: 'alias/replicate-setup-rubes-s3-bucket', foundBy: 'tool' },
      destination: { alias: 'alias/replicate-setup-clint-s3-bucket', foundBy: 'tool' },
    },
  };
}

describe('the replication rule waits for the key policies it needs (sse-kms)', () => {
  it('depends on both key-policy steps, so no object is written before the role may decrypt and encrypt', () => {
    const input = seedInput({ encryption: 'sse-kms' });
    const plan = planChanges(input, SEED_ACCOUNTS, withNewKeys(freshLive(input, SEED_ACCOUNTS)), AWS);

    const ids = plan.changes.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['source-kms-key-policy', 'destination-kms-key-policy']));
    expect(change(plan, 'replication-configuration').dependsOn).toEqual(expect.arrayContaining(['source-kms-key-policy', 'destination-kms-key-policy']));
  });

  it('depends on the one merged key-policy step when both buckets share a key', () => {
    const input = seedInput({ encryption: 'sse-kms' });
    const shared = { arn: 'arn:aws:kms:ap-southeast-1:111111111111:key/00000000-0000-4000-8000-000000000001', alias: 'alias/shared', foundBy: 'flag' as const };
    const live = { ...freshLive(input, SAME_ACCOUNT), kms: { source: shared, destination: shared } };
    const plan = planChanges(input, SAME_ACCOUNT, live, AWS);

    const dependsOn = change(plan, 'replication-configuration').dependsOn;
    expect(dependsOn).toContain('source-kms-key-policy');
    expect(dependsOn).not.toContain('destination-kms-key-policy');
  });

  it('adds no key-policy dependency without sse-kms', () => {
    const input = seedInput();
    const plan = planChanges(input, SEED_ACCOUNTS, freshLive(input, SEED_ACCOUNTS), AWS);
    expect(change(plan, 'replication-configuration').dependsOn.filter((id) => id.includes('kms'))).toEqual([]);
  });
});
