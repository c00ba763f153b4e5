import { build, parse, validate } from '@aws-sdk/util-arn-parser';

/**
 * The pure ARN and name helpers that input validation and the plan both need. They live apart from either so that
 * neither imports the other for them. ARNs are split and joined by the AWS SDK's own parser.
 */
export const bucketArn = (bucket: string): string => build({ service: 's3', region: '', accountId: '', resource: bucket });
export const objectsArn = (bucket: string): string => build({ service: 's3', region: '', accountId: '', resource: `${bucket}/*` });
export const roleArn = (accountId: string, roleName: string): string => build({ service: 'iam', region: '', accountId, resource: `role/${roleName}` });
export const userArn = (accountId: string, userName: string): string => build({ service: 'iam', region: '', accountId, resource: `user/${userName}` });

export interface PrincipalRef {
  arn: string;
  accountId: string;
  kind: 'user' | 'role';
  name: string;
}

const PARTITION = /^aws[a-z-]*$/;
const ACCOUNT_ID = /^\d{12}$/;
/** `user/NAME` or `role/NAME`, with an optional IAM path (`user/team/NAME`); the name is the last part. */
const PRINCIPAL_RESOURCE = /^(user|role)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;

/** A user or role ARN taken apart, or undefined when the text is not one (any other service, resource or shape). */
export function parsePrincipalArn(text: string): PrincipalRef | undefined {
  if (!validate(text)) return undefined;
  const { partition, service, region, accountId, resource } = parse(text);
  if (!PARTITION.test(partition) || service !== 'iam' || region !== '' || !ACCOUNT_ID.test(accountId)) return undefined;
  const match = PRINCIPAL_RESOURCE.exec(resource);
  if (!match) return undefined;
  return { arn: text, accountId, kind: match[1] as 'user' | 'role', name: match[2]! };
}

/** An authorised reader given as a user name (in the destination account) or as a user/role ARN. */
export function principalRef(nameOrArn: string, destinationAccountId: string): PrincipalRef {
  return parsePrincipalArn(nameOrArn) ?? { arn: userArn(destinationAccountId, nameOrArn), accountId: destinationAccountId, kind: 'user', name: nameOrArn };
}

export const isPrincipalArn = (text: string): boolean => parsePrincipalArn(text) !== undefined;
