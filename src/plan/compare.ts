import type { PolicyDocument, PolicyStatement } from './policy-types.js';

/**
 * Canonical form for comparing documents AWS may hand back reshaped: a one-element list comes back as a scalar,
 * list order is not significant, IAM returns documents URL-encoded. Two documents mean the same when their
 * canonical JSON is equal.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items
      .map((item) => JSON.stringify(item))
      .sort()
      .map((text) => JSON.parse(text) as unknown);
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonicalLeaf(k, v)] as const);
    return Object.fromEntries(entries);
  }
  return value;
}

/** Keys whose value may be a scalar or a list meaning the same thing: normalise both spellings to a sorted list. */
const LIST_OR_SCALAR = new Set(['Action', 'NotAction', 'Resource', 'NotResource', 'AWS', 'Service', 'Federated']);

function canonicalLeaf(key: string, value: unknown): unknown {
  if (LIST_OR_SCALAR.has(key) && typeof value === 'string') return [value];
  if (isConditionBlock(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, typeof v === 'string' ? [v] : canonical(v)]),
    );
  }
  return canonical(value);
}

/** A condition operator's block ({"aws:SourceAccount": "1"}): its values may also be scalars or lists. */
function isConditionBlock(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.keys(value).some((k) => k.includes(':'));
}

export const sameDocument = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** Parses a policy as S3 (plain JSON) or IAM (URL-encoded JSON) returns it. */
export function parsePolicy(text: string | undefined): PolicyDocument | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  const json = trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed);
  const parsed = JSON.parse(json) as PolicyDocument;
  // A single statement may be written as an object rather than a list.
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement as unknown as PolicyStatement];
  return { ...parsed, Statement: statements };
}
