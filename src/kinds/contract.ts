import type { AccountClients } from '../aws/clients.js';
import type { Operation } from '../aws/operation.js';
import type { ChangeKind, ChangeOf } from '../plan/changes.js';
import type { PlanContext } from '../plan/context.js';
import type { LiveState } from '../plan/live.js';
import type { ReplicationConfiguration } from '../plan/merge.js';
import type { PolicyDocument } from '../plan/policy-types.js';
import type { TeardownContext } from '../plan/teardown.js';
import type { Check, VerifyContext } from '../verify/types.js';

/**
 * How an endpoint hands documents back after they were written. AWS reshapes policies (one-element lists become
 * scalars, IAM URL-encodes them) and moto's replication read-back is lossy; `project` runs a change through this so a
 * next plan can be computed from what a read would show.
 */
export interface Echo {
  policy(document: PolicyDocument, service: 's3' | 'iam' | 'kms'): PolicyDocument;
  replication(configuration: ReplicationConfiguration): ReplicationConfiguration;
}

/** How verify checks a kind: its own checks, the plan's verdict (drift is a pending step), or another kind's checks. */
export type KindVerification = { checks(vc: VerifyContext): Check[] | Promise<Check[]> } | 'plan-verdict' | { coveredBy: ChangeKind };

/**
 * One kind of resource the tool manages: everything the planner, the executor, verify and (through the catalogue)
 * the permissions need to know about it. A kind that forgets one of these does not compile; the registry
 * (kinds/registry.ts) lists every kind once.
 */
export interface ResourceKind<K extends ChangeKind> {
  readonly kind: K;
  /** Pure (src/plan/): this kind's changes, the desired documents against the live state. */
  plan(pc: PlanContext): ChangeOf<K>[];
  /** Pure (src/plan/teardown.ts): the changes that remove this setup's part of it, and nothing else; none to leave it. */
  teardown(tc: TeardownContext): ChangeOf<K>[];
  /** Where a change stands in the plan's list (lower first); the dependency graph, not this, orders the writes. */
  order(change: ChangeOf<K>): number;
  /** Catalogue operations that read this kind's live state (preflight, plan and verify). */
  readonly reads: readonly Operation[];
  /** Catalogue operations a change makes, in order: what `plan` lists under it and what its profile must be allowed. */
  writes(change: ChangeOf<K>): readonly Operation[];
  /** Makes the change (create, update or delete) with its side's clients. Idempotent: a retry after a lost answer is harmless. */
  apply(change: ChangeOf<K>, account: AccountClients, report?: (progress: string, fraction?: number) => void): Promise<void>;
  /** The live state once the change is made, documents as `echo` hands them back. Pure. */
  project(live: LiveState, change: ChangeOf<K>, echo: Echo): void;
  readonly verify: KindVerification;
}

/** Bucket-level steps list the source bucket's first, then the destination's. */
export const sideOrder = (side: 'source' | 'destination'): number => (side === 'source' ? 10 : 20);
