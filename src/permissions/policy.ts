import { resourceOf } from '../aws/operation.js';
import type { Side } from '../plan/changes.js';
import type { PlannedCall } from './planned-call.js';

/** A condition block as IAM writes it: operator → context key → values. */
export type Condition = Record<string, Record<string, string | string[]>>;

/** One IAM action a call needs on one resource, with the condition that scopes it where the ARN cannot. */
export interface ScopedGrant {
  action: string;
  resource: string;
  condition?: Condition;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Condition;
}

export interface PermissionPolicy {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** The tag the tool puts on every KMS key and role it creates (aws/kms.ts, aws/iam-role.ts). */
const MANAGED_BY_TAG = { key: 'managed-by', value: 'replicate-setup' };

/** Actions granted on an alias ARN itself; every other KMS action is authorised on the key the alias points to. */
const ALIAS_ACTIONS = new Set(['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias']);

/**
 * The grants of each call, its catalogue templates filled from the request and the side's account and region. Where
 * the ARN cannot name the resource yet, a condition does:
 * - a KMS key known only by its alias: any key of the account and region whose aliases include it (kms:ResourceAliases);
 * - a key this run creates (its id unknown, no alias yet): any key tagged managed-by=replicate-setup, the tag it is created with;
 * - iam:PassRole: only to S3 (iam:PassedToService).
 */
export function grantsOf(calls: readonly PlannedCall[], place: (side: Side) => { account: string; region: string }): Map<Side, ScopedGrant[]> {
  const bySide = new Map<Side, ScopedGrant[]>([
    ['source', []],
    ['destination', []],
  ]);
  for (const call of calls) {
    for (const grant of call.operation.grants) {
      const resource = resourceOf(grant.resource, call.request, place(call.side));
      bySide.get(call.side)!.push(scoped(grant.action, resource));
    }
  }
  return bySide;
}

function scoped(action: string, resource: string): ScopedGrant {
  if (action === 'iam:PassRole') return { action, resource, condition: { StringEquals: { 'iam:PassedToService': 's3.amazonaws.com' } } };
  const alias = /^(arn:aws:kms:[^:]*:[^:]*:)(alias\/.+)$/.exec(resource);
  if (alias && !ALIAS_ACTIONS.has(action)) {
    return { action, resource: `${alias[1]}key/*`, condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias[2]! } } };
  }
  if (/^arn:aws:kms:[^:]*:[^:]*:key\/\*$/.test(resource)) {
    return { action, resource, condition: { StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG.key}`]: MANAGED_BY_TAG.value } } };
  }
  return { action, resource };
}

/**
 * One least-privilege policy document: actions that share the same resources and condition share a statement.
 * Deterministic: actions, resources and statements are sorted, so the same setup always prints the same policy.
 */
export function policyDocument(grants: readonly ScopedGrant[]): PermissionPolicy {
  // action + condition → resources
  const byAction = new Map<string, { action: string; condition?: Condition; resources: Set<string> }>();
  for (const grant of grants) {
    const key = `${grant.action}\n${conditionKey(grant.condition)}`;
    const entry = byAction.get(key) ?? { action: grant.action, ...(grant.condition ? { condition: grant.condition } : {}), resources: new Set<string>() };
    entry.resources.add(grant.resource);
    byAction.set(key, entry);
  }
  // A wildcard resource covers the resources it matches (of the same action and condition): "*" covers all.
  for (const entry of byAction.values())
    entry.resources = new Set([...entry.resources].filter((r) => ![...entry.resources].some((w) => w !== r && covers(w, r))));
  // resources + condition → actions
  const statements = new Map<string, { actions: Set<string>; resources: string[]; condition?: Condition }>();
  for (const entry of byAction.values()) {
    const resources = [...entry.resources].sort();
    const key = `${resources.join(' ')}\n${conditionKey(entry.condition)}`;
    const statement = statements.get(key) ?? { actions: new Set<string>(), resources, ...(entry.condition ? { condition: entry.condition } : {}) };
    statement.actions.add(entry.action);
    statements.set(key, statement);
  }
  const sorted = [...statements.values()].sort(
    (a, b) => a.resources.join(' ').localeCompare(b.resources.join(' ')) || conditionKey(a.condition).localeCompare(conditionKey(b.condition)),
  );
  return {
    Version: '2012-10-17',
    Statement: sorted.map((statement, index) => ({
      Sid: `ReplicateSetup${index + 1}`,
      Effect: 'Allow',
      Action: [...statement.actions].sort(),
      Resource: statement.resources,
      ...(statement.condition ? { Condition: statement.condition } : {}),
    })),
  };
}

/** Whether IAM's wildcard pattern `pattern` matches every ARN `resource` can match. */
const covers = (pattern: string, resource: string): boolean =>
  pattern.includes('*') &&
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(resource);

const conditionKey = (condition: Condition | undefined): string => (condition ? JSON.stringify(condition) : '');
