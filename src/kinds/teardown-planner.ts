import type { Accounts, SetupInput } from '../input/types.js';
import type { Change, ChangeKind, Plan, Side, StepId } from '../plan/changes.js';
import { documentContext, type PlanOptions } from '../plan/context.js';
import { KEY_DELETION_WINDOW_DAYS } from '../plan/key-policies.js';
import type { LiveState } from '../plan/live.js';
import type { TeardownContext, TeardownFacts, TeardownOptions } from '../plan/teardown.js';
import { ALL_KINDS, kindOf } from './registry.js';

/** The order a teardown shows and (through its dependencies) makes its steps: the rule first, the buckets last. */
const TEARDOWN_RANK: Record<ChangeKind, number> = {
  replication: 0,
  'bucket-policy': 1,
  'reader-policy': 2,
  'role-policy': 3,
  'kms-key-policy': 4,
  role: 5,
  'kms-key': 6,
  bucket: 7,
  'public-access-block': 8,
  encryption: 8,
  ownership: 8,
  versioning: 8,
  // A running Batch Replication job is cancelled before its role goes.
  'batch-job': 0,
  'batch-role': 5,
  'batch-bucket': 7,
  'bucket-notification': 0,
  alarm: 0,
  'sns-topic': 1,
  'sns-subscription': 1,
};

const SIDES: readonly Side[] = ['source', 'destination'];

export interface TeardownPlan extends Plan {
  /** Why buckets asked to be deleted cannot be: nothing at all is removed then. */
  refusals: string[];
}

/**
 * Pure: the changes that remove what this setup owns and nothing else, every kind's teardown in turn. `now` dates
 * the scheduled deletion of keys.
 */
export function planTeardown(
  input: SetupInput,
  accounts: Accounts,
  live: LiveState,
  facts: TeardownFacts,
  options: TeardownOptions & { now: Date },
  planOptions: PlanOptions,
): TeardownPlan {
  const tc: TeardownContext = { documents: documentContext(input, accounts, live), live, options: planOptions, notes: [], teardown: options, facts };
  const planned = ALL_KINDS.flatMap((kind): Change[] => kind.teardown(tc));
  const ranked = planned
    .map((change, index) => ({ change, index }))
    .sort((a, b) => TEARDOWN_RANK[a.change.kind] - TEARDOWN_RANK[b.change.kind] || a.index - b.index);
  const changes = ranked.map(({ change }): Change => {
    const withCalls = {
      ...change,
      calls: kindOf(change)
        .writes(change)
        .map((operation) => operation.id),
    };
    // A bucket goes last on its side: after the rule, the statements and the policies that name it.
    if (change.kind !== 'bucket') return withCalls;
    const before = planned.filter((other) => other !== change && (other.side === change.side || other.kind === 'replication')).map((other): StepId => other.id);
    return { ...withCalls, dependsOn: before };
  });
  return { changes, notes: [...tc.notes, ...keptNotes(tc, changes, options.now)], refusals: refusals(tc, changes) };
}

function keptNotes(tc: TeardownContext, changes: Change[], now: Date): string[] {
  // Only a bucket that is there and stays has settings left as they are: not one this teardown deletes.
  const kept = SIDES.filter((side) => tc.live[side].ownership === 'ours' && !changes.some((change) => change.kind === 'bucket' && change.side === side));
  const names = kept.map((side) => tc.documents.input[side].bucket);
  const notes: string[] = [];
  if (names.length > 0) {
    notes.push(
      `Versioning stays on for ${names.join(' and ')}: S3 cannot turn it off once on, only suspend it.`,
      `Block Public Access, default encryption and Object Ownership are left as they are on ${names.length === 2 ? 'both buckets' : names[0]}.`,
    );
  }
  const scheduled = changes.filter((change) => change.kind === 'kms-key');
  if (scheduled.length > 0) {
    const until = new Date(now.getTime() + KEY_DELETION_WINDOW_DAYS * 24 * 3600 * 1000).toISOString().slice(0, 10);
    notes.push(
      `KMS keys ${scheduled.map((c) => (c.kind === 'kms-key' ? c.alias : '')).join(', ')} are scheduled for deletion on ${until} (${KEY_DELETION_WINDOW_DAYS} days, the longest wait): until then \`aws kms cancel-key-deletion\` recovers them.`,
    );
  } else if (tc.live.kms && !tc.teardown.deleteKeys) {
    notes.push("The KMS keys are kept (only this setup's statements leave their policies); --delete-keys schedules the ones the tool created for deletion.");
  }
  if (!tc.teardown.deleteBuckets) notes.push(`The buckets are kept with their objects; --delete-buckets deletes them.`);
  return notes;
}

/** Buckets to delete that still hold versions, without --delete-objects: the whole teardown stops before any write. */
function refusals(tc: TeardownContext, changes: Change[]): string[] {
  if (tc.teardown.deleteObjects) return [];
  return changes.flatMap((change) => {
    if (change.kind !== 'bucket') return [];
    const held = tc.facts.versions[change.side];
    if (!held || held.count === 0) return [];
    return [`${change.bucket} holds ${held.atLeast ? 'at least ' : ''}${held.count} object version(s) and delete marker(s)`];
  });
}
