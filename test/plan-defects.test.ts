// Issue 10's "other defects", the pure planner's part: each case the plan must get right before anything is written.
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { planChanges } from '../src/kinds/planner.js';
import type { Change, Plan } from '../src/plan/changes.js';
import type { PlanOptions } from '../src/plan/context.js';
import type { LiveState } from '../src/plan/live.js';
import { undoCommand } from '../src/report/plan-view.js';
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

/** The source bucket exists, versioned, replicating with `rules` rules of the user's own to another bucket. */
function withUserRules(live: LiveState, rules: number, role = 'arn:aws:iam::111111111111:role/s3_replication_role'): LiveState {
  return {
    ...live,
    source: {
      ownership: 'ours',
      region: 'ap-southeast-1',
      versioning: 'Enabled',
      replication: {
        Role: role,
        Rules: Array.from({ length: rules }, (_, i) => ({
          ID: `user-rule-${i}`,
          Priority: i + 1,
          Status: 'Enabled' as const,
          Filter: { Prefix: `user-${i}/` },
          DeleteMarkerReplication: { Status: 'Disabled' as const },
          Destination: { Bucket: 'arn:aws:s3:::someone-elses-copy' },
        })),
      },
    },
  };
}

describe("S3's limit of 1,000 replication rules", () => {
  const input = seedInput();

  it('refuses in the plan, before any write, naming the limit, when 1,000 rules are already there (InputError, exit 2)', () => {
    const live = withUserRules(freshLive(input, SEED_ACCOUNTS), 1_000);
    let refusal: unknown;
    try {
      planChanges(input, SEED_ACCOUNTS, live, AWS);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(InputError);
    const error = refusal as InputError;
    expect(error.exitCode).toBe(2);
    expect(error.problems[0]?.flag).toBe('--source-bucket');
    expect(error.message).toMatch(/already has 1000 replication rules; with replicate-setup's it would have 1001, above S3's limit of 1,000 rules/);
    expect(error.message).toMatch(/Remove rules you no longer need/);
  });

  it('plans the 1,000th rule when 999 are there', () => {
    const plan = planChanges(input, SEED_ACCOUNTS, withUserRules(freshLive(input, SEED_ACCOUNTS), 999), AWS);
    const replication = change(plan, 'replication-configuration');
    if (replication.kind !== 'replication') throw new Error('not a replication change');
    expect(replication.configuration.Rules).toHaveLength(1_000);
  });
});

describe('an existing replication configuration naming a role that no longer exists', () => {
  it('moves the configuration to the --role-name role, says so, and names that role in the destination policy', () => {
    const input = seedInput();
    // What the live read hands over: the configured role was not found, so the tool's own (absent) role stands in.
    const live = withUserRules(freshLive(input, SEED_ACCOUNTS), 1, 'arn:aws:iam::111111111111:role/service-role/gone-role');
    const plan = planChanges(input, SEED_ACCOUNTS, live, AWS);

    expect(plan.notes.join('\n')).toMatch(/names role arn:aws:iam::111111111111:role\/service-role\/gone-role, which does not exist/);
    expect(change(plan, 'replication-role')).toMatchObject({ action: 'create', resource: 'arn:aws:iam::111111111111:role/s3_replication_role' });
    const replication = change(plan, 'replication-configuration');
    if (replication.kind !== 'replication') throw new Error('not a replication change');
    expect(replication.configuration.Role).toBe('arn:aws:iam::111111111111:role/s3_replication_role');
    expect(JSON.stringify(change(plan, 'destination-bucket-policy'))).toContain('role/s3_replication_role');
    expect(JSON.stringify(change(plan, 'destination-bucket-policy'))).not.toContain('gone-role');
  });
});

describe('the undo command the wizard prints', () => {
  it('names each side by its profile, and leaves the flag out for a side of the default chain (never "undefined")', () => {
    const named = undoCommand(seedInput());
    expect(named).toContain('--source-profile xyz');
    expect(named).toContain('--dest-profile abcd');
    const seed = seedInput();
    const chain = undoCommand(seedInput({ source: { ...seed.source, profile: undefined }, destination: { ...seed.destination, profile: undefined } }));
    expect(chain).not.toContain('undefined');
    expect(chain).not.toContain('-profile');
    expect(chain).toContain('--source-bucket rubes-s3-bucket');
  });
});
