import * as ops from '../aws/catalogue.js';
import { createKeyWithAlias, scheduleKeyDeletion } from '../aws/kms.js';
import { kmsKeyChanges } from '../plan/diff-kms.js';
import { kmsKeyTeardown } from '../plan/teardown.js';
import type { ResourceKind } from './contract.js';

/** A customer-managed KMS key per bucket (sse-kms), found by its alias or created with it. */
export const kmsKeyKind: ResourceKind<'kms-key'> = {
  kind: 'kms-key',
  plan: (pc) => kmsKeyChanges(pc.documents, pc.live),
  teardown: kmsKeyTeardown,
  order: () => 0,
  reads: [ops.kms.DescribeKey],
  writes: (change) => (change.action === 'delete' ? [ops.kms.DeleteAlias, ops.kms.ScheduleKeyDeletion] : [ops.kms.CreateKey, ops.kms.CreateAlias]),
  async apply(change, { kms }) {
    if (change.action === 'delete') await scheduleKeyDeletion(kms, change.alias);
    else await createKeyWithAlias(kms, change.alias, change.description, change.policy);
  },
  // A new key's ARN is known only once it exists: the next plan reads it back (apply-keys-first.ts).
  project(live, change) {
    if (change.action === 'delete' && live.kms) live.kms[change.side] = { alias: change.alias, foundBy: 'tool' };
  },
  verify: 'plan-verdict',
};
