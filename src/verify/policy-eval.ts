import type { OneOrMany, PolicyDocument, PolicyStatement } from '../plan/policy-types.js';

/**
 * A small, conservative reading of IAM policy documents, enough to answer "does this document let P do A on R?" and
 * "what does it grant P at all?". Pure. Conditions are not evaluated: a conditional Allow counts as a grant (it may
 * grant), a conditional Deny does not count as a refusal (it may not refuse). AWS's own evaluator
 * (iam:SimulatePrincipalPolicy) is asked as well where it is available.
 */
export interface Grant {
  action: string;
  resource: string;
}

export interface Principal {
  arn: string;
  accountId: string;
}

const list = <T>(value: OneOrMany<T> | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export const hasWildcard = (text: string): boolean => /[*?]/.test(text);

// Patterns compiled once: verify asks the same few patterns thousands of times in a fleet (a regular expression built
// on every call was 2% of a 50-setup run's CPU).
const compiled = new Map<string, RegExp>();

/** IAM wildcard match: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (!hasWildcard(pattern)) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const key = `${ignoreCase ? 'i' : ' '}${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    const escaped = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${escaped}$`, ignoreCase ? 'i' : '');
    compiled.set(key, regex);
  }
  return regex.test(value);
}

/** Every (action, resource) pair a set of statements names, as a checklist of what must be allowed. */
export function grantsOf(statements: PolicyStatement[]): Grant[] {
  return statements.flatMap((s) => list(s.Action).flatMap((action) => list(s.Resource).map((resource) => ({ action, resource }))));
}

function matchesAction(statement: PolicyStatement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  return list(statement.Action).some((p) => wildcardMatch(p, action, true));
}

function matchesResource(statement: PolicyStatement, resource: string): boolean {
  if (statement.NotResource !== undefined) return !list(statement.NotResource).some((p) => wildcardMatch(p, resource));
  return list(statement.Resource).some((p) => wildcardMatch(p, resource));
}

/** How a resource-policy statement names a principal: by its ARN, through its whole account, or as anyone. */
export type PrincipalMatch = 'named' | 'account' | 'anyone';

export function principalMatch(statement: PolicyStatement, principal: Principal): PrincipalMatch | undefined {
  if (statement.NotPrincipal !== undefined) {
    const excluded = list(statement.NotPrincipal.AWS).some(
      (p) => p === principal.arn || p === principal.accountId || p === `arn:aws:iam::${principal.accountId}:root`,
    );
    return excluded ? undefined : 'anyone';
  }
  if (statement.Principal === '*') return 'anyone';
  const named = list(statement.Principal?.AWS);
  if (named.includes('*')) return 'anyone';
  if (named.includes(principal.arn)) return 'named';
  if (named.includes(principal.accountId) || named.includes(`arn:aws:iam::${principal.accountId}:root`)) return 'account';
  return undefined;
}

/**
 * Whether the statements allow the action on the resource. With a principal they are read as a resource policy
 * (each statement must name it); without, as identity policies (statements with a Principal are ignored).
 */
export function allows(statements: PolicyStatement[], grant: Grant, principal?: Principal): boolean {
  const applies = (s: PolicyStatement): boolean =>
    (principal ? principalMatch(s, principal) !== undefined : s.Principal === undefined && s.NotPrincipal === undefined) &&
    matchesAction(s, grant.action) &&
    matchesResource(s, grant.resource);
  const denied = statements.some((s) => s.Effect === 'Deny' && s.Condition === undefined && applies(s));
  return !denied && statements.some((s) => s.Effect === 'Allow' && applies(s));
}

/**
 * The unconditional Deny statements that refuse the principal one of the grants (resource-policy reading): the cause
 * to name when a grant is missing although the Allow is there.
 */
export function denyingStatements(statements: PolicyStatement[], grants: Grant[], principal: Principal): PolicyStatement[] {
  return statements.filter(
    (s) =>
      s.Effect === 'Deny' &&
      s.Condition === undefined &&
      principalMatch(s, principal) !== undefined &&
      grants.some((grant) => matchesAction(s, grant.action) && matchesResource(s, grant.resource)),
  );
}

/** An unconditional Deny in a trust policy that keeps the service from assuming the role (it wins over any Allow). */
export function trustDenies(policy: PolicyDocument | undefined, service: string): PolicyStatement[] {
  return (policy?.Statement ?? []).filter((s) => {
    if (s.Effect !== 'Deny' || s.Condition !== undefined || !matchesAction(s, 'sts:AssumeRole')) return false;
    if (s.Principal === '*' || list(s.Principal?.AWS).includes('*')) return true;
    if (s.NotPrincipal !== undefined) return !list(s.NotPrincipal.Service).includes(service);
    return list(s.Principal?.Service).includes(service);
  });
}

/** The grants in `needed` that the statements do not allow. */
export const missingGrants = (statements: PolicyStatement[], needed: Grant[], principal?: Principal): Grant[] =>
  needed.filter((grant) => !allows(statements, grant, principal));

/** What a resource policy allows a principal, statement by statement, with how the principal is named. */
export function grantsTo(document: PolicyDocument | undefined, principal: Principal): { statement: PolicyStatement; match: PrincipalMatch }[] {
  return (document?.Statement ?? []).flatMap((statement) => {
    if (statement.Effect !== 'Allow') return [];
    const match = principalMatch(statement, principal);
    return match ? [{ statement, match }] : [];
  });
}

/** "s3:A, s3:B on R1; s3:C on R2": a compact, one-line list of grants. */
export function describeGrants(grants: Grant[]): string {
  const byResource = new Map<string, string[]>();
  for (const { action, resource } of grants) byResource.set(resource, [...(byResource.get(resource) ?? []), action]);
  return [...byResource].map(([resource, actions]) => `${[...new Set(actions)].join(', ')} on ${resource}`).join('; ');
}

export const actionsOf = (statement: PolicyStatement): string[] =>
  statement.NotAction !== undefined ? list(statement.NotAction).map((a) => `everything but ${a}`) : list(statement.Action);

export const resourcesOf = (statement: PolicyStatement): string[] =>
  statement.NotResource !== undefined ? list(statement.NotResource).map((r) => `everything but ${r}`) : list(statement.Resource);
