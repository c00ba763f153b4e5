// A pure stand-in for AWS in the planner's tests: the live state before anything exists, and the live state after a
// plan was applied, read back the way AWS (or moto) hands documents back.
import type { Accounts, SetupInput } from '../../src/input/types.js';
import { projectPlan } from '../../src/kinds/planner.js';
import type { Plan } from '../../src/plan/changes.js';
import { parsePolicy } from '../../src/plan/compare.js';
import type { LiveState } from '../../src/plan/live.js';
import type { ReplicationConfiguration } from '../../src/plan/merge.js';
import { principalRef, roleArn } from '../../src/plan/names.js';
import type { PolicyDocument } from '../../src/plan/policy-types.js';

/** Nothing exists yet; the authorised users in the destination account do. */
export function freshLive(input: SetupInput, accounts: Accounts): LiveState {
  return {
    source: { ownership: 'absent' },
    destination: { ownership: 'absent' },
    role: { name: input.roleName, arn: roleArn(accounts.source, input.roleName), exists: false },
    readers: input.authorizedUsers
      .map((user) => principalRef(user, accounts.destination))
      .filter((ref) => ref.accountId === accounts.destination)
      .map((ref) => ({ arn: ref.arn, exists: true })),
  };
}

/** AWS's way of returning a policy: one-element lists as scalars, statements as it likes, IAM URL-encoded. */
export function asAwsReturnsIt(document: PolicyDocument, urlEncoded = false): PolicyDocument {
  const collapsed = JSON.parse(JSON.stringify(document), (_key, value: unknown) =>
    Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' ? value[0] : value,
  ) as PolicyDocument;
  const reshaped = { ...collapsed, Statement: [...collapsed.Statement].reverse() };
  const text = JSON.stringify(reshaped);
  return parsePolicy(urlEncoded ? encodeURIComponent(text) : text)!;
}

/** moto's GetBucketReplication: fixed Filter and DeleteMarkerReplication, no SourceSelectionCriteria. */
export function motoEcho(configuration: ReplicationConfiguration): ReplicationConfiguration {
  return {
    Role: configuration.Role,
    Rules: configuration.Rules.map(({ SourceSelectionCriteria: _s, ...rule }) => ({
      ...rule,
      Filter: { Prefix: '' },
      DeleteMarkerReplication: { Status: 'Disabled' as const },
    })),
  };
}

/** The live state once every change of the plan has been made, read back through `echo` (each kind's own projection). */
export function liveAfterApply(
  plan: Plan,
  before: LiveState,
  echo: (configuration: ReplicationConfiguration) => ReplicationConfiguration = (c) => structuredClone(c),
): LiveState {
  return projectPlan(plan, before, { policy: (document, service) => asAwsReturnsIt(document, service === 'iam'), replication: echo });
}
