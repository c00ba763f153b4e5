import type { ReplicationRule as S3ReplicationRule } from '@aws-sdk/client-s3';
import { sameDocument } from './compare.js';
import { ruleBaseId } from './names.js';
import type { RuleOwner, StatementOwner } from './ownership.js';
import type { PolicyDocument, PolicyStatement } from './policy-types.js';
import type { ReplicationRule } from './replication-rules.js';

/**
 * Merging the tool's own statements and rules into what the user already has. Pure: the user's own statements,
 * rules and priorities always survive; only what `owns` recognises as the tool's is replaced.
 */
export function mergePolicyStatements(existing: PolicyDocument | undefined, ours: PolicyStatement[], owns: StatementOwner): PolicyDocument | undefined {
  const theirs = (existing?.Statement ?? []).filter((statement) => !owns(statement));
  const statements = [...theirs, ...ours];
  if (statements.length === 0) return undefined;
  // A policy's Version decides what its policy variables mean: the user's own is kept (ours use none).
  return { ...(existing ?? {}), Version: existing?.Version ?? '2012-10-17', Statement: statements };
}

import type { ReplicationConfiguration } from './live.js';

export type { LiveReplicationConfiguration, ReplicationConfiguration } from './live.js';

type LiveRule = S3ReplicationRule;

/**
 * What a rule of ours replicates, whatever its name: its ID without the selection fingerprint and without the setup
 * id, so a rule renamed from the previous release's form keeps its priority.
 */
const scopeKey = (id: string | undefined): string | undefined => ruleBaseId(id)?.replace(/^(replicate-setup:[a-z0-9.-]+):[0-9a-f]{12}(?=:|$)/, '$1');

/**
 * Our rules replace the rules we own; every other rule stays with its priority. A rule of ours that already exists
 * keeps its priority; a new one takes the next free number, so priorities stay unique as S3 requires.
 * V1 rules (no Filter) cannot share a configuration with V2 rules, so they are rewritten to the V2 form that means
 * the same (V1 replicated delete markers), and the caller is told.
 */
export function mergeReplicationRules(
  existing: ReplicationConfiguration | undefined,
  ours: ReplicationRule[],
  role: string,
  owns: RuleOwner,
): { configuration: ReplicationConfiguration; upgradedV1Rules: string[] } {
  const previous: LiveRule[] = existing?.Rules ?? [];
  const upgradedV1Rules: string[] = [];
  const isV1 = (rule: LiveRule): boolean => rule.Filter === undefined && rule.Prefix !== undefined;
  const others = previous.filter((rule) => !owns(rule));
  // Keyed by the ID without its selection fingerprint: a rule whose prefix changed keeps its place among the rules.
  const previousPriority = new Map(previous.filter((r) => owns(r)).map((r) => [scopeKey(r.ID), r.Priority]));
  const taken = new Set(others.filter((rule) => !isV1(rule) || rule.Priority !== undefined).map((rule) => rule.Priority ?? 0));
  // Rules that keep their number claim it first, so a new rule never takes a number a kept one needs.
  const kept = new Map<string, number>();
  for (const rule of ours) {
    const priority = previousPriority.get(scopeKey(rule.ID));
    if (priority !== undefined && !taken.has(priority)) {
      kept.set(rule.ID, priority);
      taken.add(priority);
    }
  }
  let next = Math.max(0, ...taken) + 1;
  const nextFree = (): number => {
    while (taken.has(next)) next += 1;
    taken.add(next);
    return next;
  };
  // V1 rules have no priority; as V2 rules they need unique ones like every other rule.
  const theirs = others.map((rule) => {
    if (!isV1(rule)) return rule;
    upgradedV1Rules.push(rule.ID ?? '(unnamed)');
    const { Prefix, ...rest } = rule;
    return { ...rest, Priority: rule.Priority ?? nextFree(), Filter: { Prefix }, DeleteMarkerReplication: { Status: 'Enabled' as const } };
  });
  const placed = ours.map((rule) => ({ ...rule, Priority: kept.get(rule.ID) ?? nextFree() }));
  return { configuration: { Role: role, Rules: [...theirs, ...placed] }, upgradedV1Rules };
}

export const samePolicy = (a: PolicyDocument | undefined, b: PolicyDocument | undefined): boolean =>
  a === undefined || b === undefined ? a === b : sameDocument(a, b);
