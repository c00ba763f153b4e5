import {
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  paginateListAttachedGroupPolicies,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupPolicies,
  paginateListGroupsForUser,
  paginateListRolePolicies,
  paginateListUserPolicies,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { parsePolicy } from '../plan/compare.js';
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

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

async function managedPolicy(iam: IAMClient, arn: string): Promise<NamedPolicy | undefined> {
  const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
  if (!Policy?.DefaultVersionId) return undefined;
  const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy.DefaultVersionId }));
  const document = parsePolicy(PolicyVersion?.Document);
  return document ? { source: `managed ${arn}`, document } : undefined;
}

const present = (policies: (NamedPolicy | undefined)[]): NamedPolicy[] => policies.filter((p): p is NamedPolicy => p !== undefined);

const named = (source: string, text: string | undefined): NamedPolicy | undefined => {
  const document = parsePolicy(text);
  return document ? { source, document } : undefined;
};

type Holder = { kind: 'role' | 'user' | 'group'; name: string };

/** The names of a holder's inline policies and the ARNs of its attached ones. */
async function listed(iam: IAMClient, { kind, name }: Holder): Promise<{ inline: string[]; attached: string[] }> {
  const client = { client: iam };
  const pages =
    kind === 'role'
      ? { inline: paginateListRolePolicies(client, { RoleName: name }), attached: paginateListAttachedRolePolicies(client, { RoleName: name }) }
      : kind === 'user'
        ? { inline: paginateListUserPolicies(client, { UserName: name }), attached: paginateListAttachedUserPolicies(client, { UserName: name }) }
        : { inline: paginateListGroupPolicies(client, { GroupName: name }), attached: paginateListAttachedGroupPolicies(client, { GroupName: name }) };
  const [inline, attached] = await Promise.all([collect(pages.inline, (p) => p.PolicyNames), collect(pages.attached, (p) => p.AttachedPolicies)]);
  return { inline, attached: attached.flatMap((a) => (a.PolicyArn ? [a.PolicyArn] : [])) };
}

async function inlineDocument(iam: IAMClient, { kind, name }: Holder, policyName: string): Promise<string | undefined> {
  if (kind === 'role') return (await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }))).PolicyDocument;
  if (kind === 'user') return (await iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: policyName }))).PolicyDocument;
  return (await iam.send(new GetGroupPolicyCommand({ GroupName: name, PolicyName: policyName }))).PolicyDocument;
}

/** A holder's own policies, inline and attached; `label` prefixes their names (a user's groups say whose). */
async function ownPolicies(iam: IAMClient, holder: Holder, label = ''): Promise<NamedPolicy[]> {
  const { inline, attached } = await listed(iam, holder);
  const policies = await Promise.all([
    ...inline.map(async (policyName) => named(`${label}inline ${policyName}`, await inlineDocument(iam, holder, policyName))),
    ...attached.map((arn) => managedPolicy(iam, arn).then((p) => p && { ...p, source: `${label}${p.source}` })),
  ]);
  return present(policies);
}

export const rolePolicies = (iam: IAMClient, roleName: string): Promise<NamedPolicy[]> => ownPolicies(iam, { kind: 'role', name: roleName });

export async function userPolicies(iam: IAMClient, userName: string): Promise<NamedPolicy[]> {
  const [own, groups] = await Promise.all([
    ownPolicies(iam, { kind: 'user', name: userName }),
    collect(paginateListGroupsForUser({ client: iam }, { UserName: userName }), (p) => p.Groups),
  ]);
  const ofGroups = await Promise.all(groups.flatMap((g) => (g.GroupName ? [ownPolicies(iam, { kind: 'group', name: g.GroupName }, `group ${g.GroupName} `)] : [])));
  return [...own, ...ofGroups.flat()];
}
