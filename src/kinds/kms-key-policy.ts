import * as ops from '../aws/catalogue.js';
import { putKeyPolicy } from '../aws/kms.js';
import { kmsKeyPolicyChanges } from '../plan/diff-kms.js';
import { kmsKeyPolicyTeardown } from '../plan/teardown.js';
import type { ResourceKind } from './contract.js';

/** Our statements in each key's policy. A key always has a policy: removing ours is an update, never a delete. */
export const kmsKeyPolicyKind: ResourceKind<'kms-key-policy'> = {
  kind: 'kms-key-policy',
  plan: (pc) => kmsKeyPolicyChanges(pc.documents, pc.live, pc.notes),
  teardown: kmsKeyPolicyTeardown,
  order: () => 45,
  reads: [ops.kms.GetKeyPolicy],
  writes: () => [ops.kms.PutKeyPolicy],
  apply: async (change, { kms }) => {
    await putKeyPolicy(kms, change.keyId, change.document);
  },
  project(live, change, echo) {
    const key = live.kms?.[change.side];
    if (key?.arn) key.policy = echo.policy(change.document, 'kms');
  },
  verify: 'plan-verdict',
};
