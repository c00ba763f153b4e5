/** The AWS services the tool calls, by the name of their client in AccountClients. */
export type Service = 's3' | 'iam' | 'kms' | 'sts' | 's3control' | 'sns' | 'cloudwatch';

/**
 * One IAM action an operation needs, and the resource it is granted on: an ARN template whose `{Field}` names a field
 * of the request (dots reach into it) and `{account}`/`{region}` the caller's; `*` where IAM allows no scoping.
 */
export interface Grant {
  action: string;
  resource: string;
}

/** An SDK v3 command class: its constructor takes the request; its instance resolves to the response. */
// biome-ignore lint/suspicious/noExplicitAny: the SDK's command classes are matched structurally, any request shape.
export type CommandClass = new (input: any) => { input: object; resolveMiddleware: (...args: any[]) => (args: any) => Promise<{ output: unknown }> };

export type RequestOf<C extends CommandClass> = ConstructorParameters<C>[0];
export type ResponseOf<C extends CommandClass> = InstanceType<C>['resolveMiddleware'] extends (
  ...args: never[]
) => (args: never) => Promise<{ output: infer O }>
  ? O
  : never;

export interface Operation<C extends CommandClass = CommandClass, S extends Service = Service> {
  /** `service:ApiName`, e.g. `s3:PutBucketPolicy`: the API's own name, as AWS's references list it. */
  readonly id: string;
  readonly service: S;
  readonly name: string;
  readonly Command: C;
  /** Whether the call changes anything: reads may run at any time, writes only in an applied plan or a canary. */
  readonly access: 'read' | 'write';
  readonly grants: readonly Grant[];
}

export function defineOperation<S extends Service, C extends CommandClass>(
  service: S,
  Command: C,
  access: 'read' | 'write',
  grants: [string, string][],
): Operation<C, S> {
  const name = Command.name.replace(/Command$/, '');
  return { id: `${service}:${name}`, service, name, Command, access, grants: grants.map(([action, resource]) => ({ action, resource })) };
}

/** The IAM actions of an operation, as a remedy says them: "s3:PutReplicationConfiguration and iam:PassRole". */
export const permissionOf = (operation: Pick<Operation, 'grants'>): string =>
  [...new Set(operation.grants.map((grant) => grant.action))].join(' and ') || 'no permission';

export interface CallPlace {
  account?: string;
  region?: string;
}

/** A grant's resource for one request: the template filled from the request and the caller's account and region. */
export function resourceOf(template: string, request: object, place: CallPlace): string {
  const filled = template.replace(/\{([\w.]+)\}/g, (_whole, path: string) => {
    if (path === 'account') return place.account ?? '*';
    if (path === 'region') return place.region ?? '*';
    const value = path.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), request);
    return typeof value === 'string' ? value : '*';
  });
  // A KMS KeyId may be an ARN or an alias already: the ARN is the resource, an alias sits beside keys.
  const embedded = /^arn:[^:]*:kms:[^:]*:[^:]*:key\/(arn:.*)$/.exec(filled);
  if (embedded) return embedded[1]!;
  return filled.replace(/:key\/alias\//, ':alias/');
}
