import type { IAMClient } from '@aws-sdk/client-iam';
import * as ops from '../aws/catalogue.js';
import { listInlinePolicies, type PolicyHolder } from '../aws/inline-policies.js';
import { send, sendAll } from '../aws/send.js';
import type { Accounts, SetupInput } from '../input/types.js';
import { parsePolicy } from '../plan/compare.js';
import type { LiveState } from '../plan/live.js';
import { legacyPolicyNames, setupNames } from '../plan/names.js';
import type { PolicyDocument } from '../plan/policy-types.js';

/**
 * Every identity policy that applies to a role or user: inline, attached managed, and (for users) those of its
 * groups. `plan` reads only the tool's own inline policy; verify must see all of them to tell whether a principal can
 * do too little or too much. Reads only, concurrently.
 */
export interface NamedPolicy {
  /** e.g. `inline replicate-setup-read-x`, `managed arn:aws:iam::aws:policy/AmazonS3FullAccess`, `group ops inline y`. */
  source: string;
  document: PolicyDocument;
}

async function managedPolicy(iam: IAMClient, arn: string): Promise<NamedPolicy | undefined> {
  const { Policy } = await send(iam, ops.iam.GetPolicy, { PolicyArn: arn });
  if (!Policy?.DefaultVersionId) return undefined;
  const { PolicyVersion } = await send(iam, ops.iam.GetPolicyVersion, { PolicyArn: arn, VersionId: Policy.DefaultVersionId });
  const document = parsePolicy(PolicyVersion?.Document);
  return document ? { source: `managed ${arn}`, document } : undefined;
}

const present = (policies: (NamedPolicy | undefined)[]): NamedPolicy[] => policies.filter((p): p is NamedPolicy => p !== undefined);

const named = (source: string, text: string | undefined): NamedPolicy | undefined => {
  const document = parsePolicy(text);
  return document ? { source, document } : undefined;
};

/** The names of a holder's inline policies and the ARNs of its attached ones. */
async function listed(iam: IAMClient, holder: PolicyHolder): Promise<{ inline: string[]; attached: string[] }> {
  const { kind, name } = holder;
  const arns = (page: { AttachedPolicies?: { PolicyArn?: string }[] }): string[] =>
    (page.AttachedPolicies ?? []).flatMap((a) => (a.PolicyArn ? [a.PolicyArn] : []));
  const [inline, attached] = await Promise.all([
    listInlinePolicies(iam, holder),
    kind === 'role'
      ? sendAll(iam, ops.iam.ListAttachedRolePolicies, { RoleName: name }, arns)
      : kind === 'user'
        ? sendAll(iam, ops.iam.ListAttachedUserPolicies, { UserName: name }, arns)
        : sendAll(iam, ops.iam.ListAttachedGroupPolicies, { GroupName: name }, arns),
  ]);
  return { inline, attached };
}

async function inlineDocument(iam: IAMClient, { kind, name }: PolicyHolder, policyName: string): Promise<string | undefined> {
  if (kind === 'role') return (await send(iam, ops.iam.GetRolePolicy, { RoleName: name, PolicyName: policyName })).PolicyDocument;
  if (kind === 'user') return (await send(iam, ops.iam.GetUserPolicy, { UserName: name, PolicyName: policyName })).PolicyDocument;
  return (await send(iam, ops.iam.GetGroupPolicy, { GroupName: name, PolicyName: policyName })).PolicyDocument;
}

/**
 * Inline policies the caller has just read, by name: the list still decides which exist, but these are not asked for
 * again (the tool's own policy, read with the live state, is most often the only one).
 */
export type KnownInline = Readonly<Record<string, PolicyDocument | undefined>> | Promise<Readonly<Record<string, PolicyDocument | undefined>>>;

/** The tool's own inline policies on the replication role, as the live read found them, by their names. */
export const knownRolePolicies = (input: SetupInput, accounts: Accounts, live: LiveState): Record<string, PolicyDocument | undefined> => ({
  [setupNames(input, accounts).rolePolicy]: live.role.inlinePolicy,
  [legacyPolicyNames(input).rolePolicy]: live.role.legacyInlinePolicy,
});

/** The tool's own inline policies on one reader, as the live read found them, by their names. */
export function knownReaderPolicies(input: SetupInput, accounts: Accounts, live: LiveState, readerArn: string): Record<string, PolicyDocument | undefined> {
  const reader = live.readers.find((r) => r.arn === readerArn);
  return { [setupNames(input, accounts).readerPolicy]: reader?.policy, [legacyPolicyNames(input).readerPolicy]: reader?.legacyPolicy };
}

/** A holder's own policies, inline and attached; `label` prefixes their names (a user's groups say whose). */
async function ownPolicies(iam: IAMClient, holder: PolicyHolder, label = '', known: KnownInline = {}): Promise<NamedPolicy[]> {
  const { inline, attached } = await listed(iam, holder);
  const policies = await Promise.all([
    ...inline.map(async (policyName) => {
      const document = (await known)[policyName];
      return document
        ? { source: `${label}inline ${policyName}`, document }
        : named(`${label}inline ${policyName}`, await inlineDocument(iam, holder, policyName));
    }),
    ...attached.map((arn) => managedPolicy(iam, arn).then((p) => p && { ...p, source: `${label}${p.source}` })),
  ]);
  return present(policies);
}

export const rolePolicies = (iam: IAMClient, roleName: string, known?: KnownInline): Promise<NamedPolicy[]> =>
  ownPolicies(iam, { kind: 'role', name: roleName }, '', known);

export async function userPolicies(iam: IAMClient, userName: string, known?: KnownInline): Promise<NamedPolicy[]> {
  const [own, groups] = await Promise.all([
    ownPolicies(iam, { kind: 'user', name: userName }, '', known),
    sendAll(iam, ops.iam.ListGroupsForUser, { UserName: userName }, (p) => p.Groups),
  ]);
  const ofGroups = await Promise.all(
    groups.flatMap((g) => (g.GroupName ? [ownPolicies(iam, { kind: 'group', name: g.GroupName }, `group ${g.GroupName} `)] : [])),
  );
  return [...own, ...ofGroups.flat()];
}
