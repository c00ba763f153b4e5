import type { ContextEntry, EvaluationResult } from '@aws-sdk/client-iam';
import * as ops from '../aws/catalogue.js';
import type { AccountClients, AwsClients } from '../aws/clients.js';
import { errorName, httpStatus, isErrorNamed, translateAwsError } from '../aws/errors.js';
import { describeNeeds, send } from '../aws/send.js';
import { ReplicateSetupError } from '../errors.js';
import { credentialsPhrase } from '../input/credentials.js';
import { flagOf } from '../input/options.js';
import { plannedCalls } from '../permissions/calls.js';
import { type Condition, grantsOf, type ScopedGrant } from '../permissions/policy.js';
import type { Side } from '../plan/changes.js';
import { capital } from '../plan/context.js';
import type { PreparedSetup } from '../plan/prepared.js';

/** What the check found for one profile: the grants IAM would refuse, and what it could only warn about. */
export interface ProfileCheck {
  side: Side;
  /** The named profile, or undefined for the SDK default chain. */
  profile: string | undefined;
  /** The caller as the simulator was asked about (an assumed role's session becomes its role). */
  principal?: string;
  missing: ScopedGrant[];
  /** Denials an SCP or permissions boundary may cause (the simulator cannot see all of them rightly), and skips. */
  notes: string[];
}

/**
 * Before the first write: asks IAM's policy simulator, for each profile's own identity, about every call the wizard
 * will make on this plan's resources (with the context keys its conditions use). Every missing action of both
 * profiles is listed at once and nothing is written (exit 1: AWS, not the flags, refuses; the flags are fine). A
 * denial that only an organisation SCP or a permissions boundary causes is warned about, not stopped on: the simulator
 * evaluates them without the request's full context. Endpoints without the simulator (moto) are skipped with a note.
 */
export async function checkPermissions(prepared: PreparedSetup, clients: AwsClients): Promise<ProfileCheck[]> {
  if (!clients.isAws) {
    const note = `permission check skipped: the endpoint ${prepared.input.endpointUrl ?? ''} does not implement iam:SimulatePrincipalPolicy, so a missing permission shows only when its call fails`;
    return [{ side: 'source', profile: clients.source.profile, missing: [], notes: [note] }];
  }
  const calls = plannedCalls(prepared, 'wizard');
  const grants = grantsOf(calls, (side) => ({ account: prepared.accounts[side], region: prepared.input[side].region }));
  const checks = await Promise.all((['source', 'destination'] as const).map((side) => checkProfile(side, clients[side], grants.get(side) ?? [])));
  const refused = checks.filter((check) => check.missing.length > 0);
  if (refused.length > 0) {
    throw new ReplicateSetupError(
      'ACCESS_DENIED',
      `Nothing was written: IAM's policy simulator says the plan's calls would be refused. ${refused
        .map((check) => `${capital(credentialsPhrase(check.profile))} (${check.principal}) lacks ${describeNeeds(check.missing)}.`)
        .join(' ')}`,
      {
        remedy: `Run \`replicate-setup permissions\` with the same flags and attach each policy it prints to its profile, then run again. If you know the simulator is wrong here, pass ${flagOf('skipPermissionCheck')}.`,
      },
    );
  }
  return checks;
}

async function checkProfile(side: Side, clients: AccountClients, grants: ScopedGrant[]): Promise<ProfileCheck> {
  const result: ProfileCheck = { side, profile: clients.profile, missing: [], notes: [] };
  const caller = (await send(clients.sts, ops.sts.GetCallerIdentity, {})).Arn ?? '';
  const principal = simulatablePrincipal(caller);
  if (!principal) {
    result.notes.push(
      `permission check skipped for ${credentialsPhrase(clients.profile)}: ${caller || 'its identity'} is not a user or role the simulator can evaluate`,
    );
    return result;
  }
  result.principal = principal;
  try {
    for (const group of byResource(grants)) {
      const { EvaluationResults = [] } = await send(clients.iam, ops.iam.SimulatePrincipalPolicy, {
        PolicySourceArn: principal,
        ActionNames: group.actions,
        ...(group.resource === '*' ? {} : { ResourceArns: [group.resource] }),
        ...(group.condition ? { ContextEntries: contextEntries(group.condition) } : {}),
      });
      judge(EvaluationResults, group, result);
    }
  } catch (error) {
    if (isErrorNamed(error, 'NotImplemented', 'InvalidAction') || httpStatus(error) === 501) {
      result.notes.push(
        `permission check skipped for ${credentialsPhrase(clients.profile)}: the endpoint does not implement iam:SimulatePrincipalPolicy (${errorName(error)})`,
      );
      return { ...result, missing: [] };
    }
    const translated = translateAwsError(error, { doing: 'asking the IAM policy simulator about its own permissions', profile: clients.profile });
    result.notes.push(`permission check skipped for ${credentialsPhrase(clients.profile)}: ${translated.message}`);
    return { ...result, missing: [] };
  }
  return result;
}

/** The ARN the simulator takes for a caller: a user's as is; an assumed role's session as its role (without a path). */
export function simulatablePrincipal(callerArn: string): string | undefined {
  const assumed = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(callerArn);
  if (assumed) return `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`;
  return /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\//.test(callerArn) ? callerArn : undefined;
}

interface GrantGroup {
  resource: string;
  condition?: Condition;
  actions: string[];
}

/** One simulation per resource (and condition): the simulator evaluates each action against each resource named. */
function byResource(grants: readonly ScopedGrant[]): GrantGroup[] {
  const groups = new Map<string, GrantGroup>();
  for (const grant of grants) {
    const key = `${grant.resource}\n${JSON.stringify(grant.condition ?? {})}`;
    const group = groups.get(key) ?? { resource: grant.resource, ...(grant.condition ? { condition: grant.condition } : {}), actions: [] };
    if (!group.actions.includes(grant.action)) group.actions.push(grant.action);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The values a condition expects, given as the request's context, so a conditioned grant is judged as it will be used. */
function contextEntries(condition: Condition): ContextEntry[] {
  return Object.values(condition).flatMap((keys) =>
    Object.entries(keys).map(([name, value]) => ({
      ContextKeyName: name,
      ContextKeyValues: Array.isArray(value) ? value : [value],
      ContextKeyType: Array.isArray(value) || name === 'kms:ResourceAliases' ? 'stringList' : 'string',
    })),
  );
}

/** Sorts each answer: allowed; refused only by an SCP or a boundary (a warning); or missing from the identity's policies. */
export function judge(results: readonly EvaluationResult[], group: GrantGroup, into: ProfileCheck): void {
  for (const evaluation of results) {
    if (evaluation.EvalDecision === 'allowed') continue;
    const action = evaluation.EvalActionName ?? '?';
    const blockers = [
      evaluation.OrganizationsDecisionDetail?.AllowedByOrganizations === false ? 'an organisation SCP' : undefined,
      evaluation.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary === false ? 'a permissions boundary' : undefined,
    ].filter((b): b is string => !!b);
    if (blockers.length > 0) {
      into.notes.push(
        `${credentialsPhrase(into.profile)}: ${action}${group.resource === '*' ? '' : ` on ${group.resource}`} may be refused by ${blockers.join(' and ')}; continuing, since the simulator may not judge it as AWS will`,
      );
      continue;
    }
    into.missing.push({ action, resource: group.resource, ...(group.condition ? { condition: group.condition } : {}) });
  }
}
