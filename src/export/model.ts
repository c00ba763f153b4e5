import { planChanges } from '../kinds/planner.js';
import type { Change, ChangeKind, ChangeOf, Side, StepId } from '../plan/changes.js';
import type { LiveKmsKey, LiveState } from '../plan/live.js';
import type { PreparedSetup } from '../plan/prepared.js';

/**
 * What both exporters work from: the plan's own changes, nothing recomputed. A KMS key the plan would create has no
 * ARN yet, and its documents say "(known after apply)". The export does what apply does once the key exists
 * (apply-keys-first.ts): the same pure planner runs again with the key in place, here under a stand-in ARN that each
 * exporter turns into a reference to the key resource (`aws_kms_key.source.arn`, `Fn::GetAtt`).
 */
export interface ExportModel {
  prepared: PreparedSetup;
  /** The plan's changes with every key ARN known (stand-ins for new keys); deletions left out. */
  changes: Change[];
  /** Steps whose resource already exists live: imported, never created a second time. */
  existing: Set<StepId>;
  /** The stand-in ARN of each key the plan creates. */
  keyStandIns: Partial<Record<Side, string>>;
}

const SIDES: Side[] = ['source', 'destination'];

/** Unmistakable and ARN-shaped, so the documents stay valid while an exporter replaces it. */
export const keyStandIn = (prepared: PreparedSetup, side: Side): string =>
  `arn:aws:kms:${prepared.input[side].region}:${prepared.accounts[side]}:key/replicate-setup-export-${side}-key`;

export function exportModel(prepared: PreparedSetup): ExportModel {
  const { plan, live } = prepared;
  const newKeys = plan.changes.filter((change): change is ChangeOf<'kms-key'> => change.kind === 'kms-key' && change.action === 'create');
  const keyStandIns: Partial<Record<Side, string>> = {};
  let planned = plan;
  if (newKeys.length > 0 && live.kms) {
    const kms = { ...live.kms };
    for (const key of newKeys) {
      keyStandIns[key.side] = keyStandIn(prepared, key.side);
      // What apply reads back once the key exists: the key created with the policy the plan gives it.
      const created: LiveKmsKey = { ...kms[key.side], arn: keyStandIns[key.side], foundBy: 'tool', ...(key.policy ? { policy: key.policy } : {}) };
      kms[key.side] = created;
    }
    const withKeys: LiveState = { ...live, kms };
    planned = planChanges(prepared.input, prepared.accounts, withKeys, { replicationEchoIsFaithful: true });
  }
  const existing = new Set(plan.changes.filter((change) => change.action !== 'create').map((change) => change.id));
  const changes = planned.changes
    .filter((change) => change.action !== 'delete')
    // A new key is still the plan's own change (its alias, description and policy), not the stand-in's no-op.
    .map((change) => newKeys.find((key) => key.id === change.id) ?? change);
  return { prepared, changes, existing, keyStandIns };
}

/** The changes of one kind (and side), in plan order. */
export function changesOf<K extends ChangeKind>(model: ExportModel, kind: K, side?: Side): ChangeOf<K>[] {
  return model.changes.filter((change) => change.kind === kind && (side === undefined || change.side === side)) as unknown as ChangeOf<K>[];
}

export const oneChange = <K extends ChangeKind>(model: ExportModel, kind: K, side?: Side): ChangeOf<K> | undefined => changesOf(model, kind, side)[0];

/** The key a side's bucket uses (sse-kms): its ARN live, or undefined when the plan creates it. */
export const liveKeyArn = (model: ExportModel, side: Side): string | undefined => model.prepared.live.kms?.[side].arn;

export { SIDES };

/**
 * A document with some strings replaced by references: each string `replace` knows becomes what it returns. Used to
 * put the key resources in place of the stand-in ARNs; every other value stays exactly as the plan wrote it.
 */
export function withReferences<R>(value: unknown, replace: (text: string) => R | undefined): unknown {
  if (typeof value === 'string') {
    const reference = replace(value);
    if (reference !== undefined) return reference;
    if (value.includes(':key/replicate-setup-export-')) throw new Error(`a key ARN stand-in is part of a longer text: ${value}`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => withReferences(item, replace));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withReferences(item, replace)]));
  return value;
}
