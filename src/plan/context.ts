import type { Accounts, SetupInput } from '../input/types.js';
import type { Action } from './changes.js';
import type { DocumentContext, KeyArns } from './documents.js';
import type { LiveState } from './live.js';
import { setupNames } from './names.js';

export interface PlanOptions {
  /**
   * Whether GetBucketReplication echoes Filter and DeleteMarkerReplication faithfully (AWS does; moto returns fixed
   * values). When it does not, the selection fingerprint in our rule IDs stands in for those fields.
   */
  replicationEchoIsFaithful: boolean;
}

/** What every kind's planner works from: the desired documents, the live state, and where to say what it noticed. */
export interface PlanContext {
  documents: DocumentContext;
  live: LiveState;
  options: PlanOptions;
  notes: string[];
}

/** The context every document is computed from: the role is ours unless the bucket already replicates with one. */
export function documentContext(input: SetupInput, accounts: Accounts, live: Pick<LiveState, 'role' | 'kms'>): DocumentContext {
  const keyArn = (side: 'source' | 'destination'): KeyArns['source'] => {
    const arn = live.kms?.[side].arn;
    return arn ? { arn } : { pending: side };
  };
  const kmsKeys = input.encryption === 'sse-kms' ? { source: keyArn('source'), destination: keyArn('destination') } : undefined;
  return { input, accounts, names: setupNames(input, accounts), replicationRoleArn: live.role.arn, ...(kmsKeys ? { kmsKeys } : {}) };
}

/** create when absent, no-op when as desired, update otherwise. */
export const action = (exists: boolean, same: boolean): Action => (!exists ? 'create' : same ? 'no-op' : 'update');

export const capital = (text: string): string => text[0]!.toUpperCase() + text.slice(1);
