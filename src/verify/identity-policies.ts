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

export async function rolePolicies(iam: IAMClient, roleName: string): Promise<NamedPolicy[]> {
  const [inlineNames, attached] = await Promise.all([
    collect(paginateListRolePolicies({ client: iam }, { RoleName: roleName }), (p) => p.PolicyNames),
    collect(paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }), (p) => p.AttachedPolicies),
  ]);
  return present(
    await Promise.all([
      ...inlineNames.map(async (name) =>
        named(`inline ${name}`, (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))).PolicyDocument),
      ),
      ...attached.flatMap((a) => (a.PolicyArn ? [managedPolicy(iam, a.PolicyArn)] : [])),
    ]),
  );
}

async function groupPolicies(iam: IAMClient, group: string): Promise<NamedPolicy[]> {
  const [inlineNames, attached] = await Promise.all([
    collect(paginateListGroupPolicies({ client: iam }, { GroupName: group }), (p) => p.PolicyNames),
    collect(paginateListAttachedGroupPolicies({ client: iam }, { GroupName: group }), (p) => p.AttachedPolicies),
  ]);
  return present(
    await Promise.all([
      ...inlineNames.map(async (name) =>
        named(`group ${group} inline ${name}`, (await iam.send(new GetGroupPolicyCommand({ GroupName: group, PolicyName: name }))).PolicyDocument),
      ),
      ...attached.flatMap((a) => (a.PolicyArn ? [managedPolicy(iam, a.PolicyArn).then((p) => p && { ...p, source: `group ${group} ${p.source}` })] : [])),
    ]),
  );
}

export async function userPolicies(iam: IAMClient, userName: string): Promise<NamedPolicy[]> {
  const [inlineNames, attached, groups] = await Promise.all([
    collect(paginateListUserPolicies({ client: iam }, { UserName: userName }), (p) => p.PolicyNames),
    collect(paginateListAttachedUserPolicies({ client: iam }, { UserName: userName }), (p) => p.AttachedPolicies),
    collect(paginateListGroupsForUser({ client: iam }, { UserName: userName }), (p) => p.Groups),
  ]);
  const [own, ...ofGroups] = await Promise.all([
    Promise.all([
      ...inlineNames.map(async (name) =>
        named(`inline ${name}`, (await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name }))).PolicyDocument),
      ),
      ...attached.flatMap((a) => (a.PolicyArn ? [managedPolicy(iam, a.PolicyArn)] : [])),
    ]).then(present),
    ...groups.flatMap((g) => (g.GroupName ? [groupPolicies(iam, g.GroupName)] : [])),
  ]);
  return [...own!, ...ofGroups.flat()];
}

export const statementsOf = (policies: NamedPolicy[]) => policies.flatMap((p) => p.document.Statement);
