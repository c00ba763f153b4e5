import { createRequire } from 'node:module';

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

/** Each service's SDK package, as a type: the commands' shapes come from it without loading it. */
interface Packages {
  s3: typeof import('@aws-sdk/client-s3');
  iam: typeof import('@aws-sdk/client-iam');
  kms: typeof import('@aws-sdk/client-kms');
  sts: typeof import('@aws-sdk/client-sts');
  s3control: typeof import('@aws-sdk/client-s3-control');
  sns: typeof import('@aws-sdk/client-sns');
  cloudwatch: typeof import('@aws-sdk/client-cloudwatch');
}

/** Each service's package name. */
const PACKAGE_NAMES: { [S in Service]: string } = {
  s3: '@aws-sdk/client-s3',
  iam: '@aws-sdk/client-iam',
  kms: '@aws-sdk/client-kms',
  sts: '@aws-sdk/client-sts',
  s3control: '@aws-sdk/client-s3-control',
  sns: '@aws-sdk/client-sns',
  cloudwatch: '@aws-sdk/client-cloudwatch',
};

// Each package is loaded when its service is first used (a client built, a command sent): a run that never calls KMS,
// SNS, CloudWatch or S3 Control (most runs) does not spend start-up time on them (about 50 ms of a 0.4 s run). The
// packages are CommonJS, so `require` loads the very module `import` would: a test's mock knows the same classes.
const requireSdk = createRequire(import.meta.url);

/** A service's SDK package, loaded on first use (Node keeps it after that). */
export const sdkPackage = <S extends Service>(service: S): Packages[S] => requireSdk(PACKAGE_NAMES[service]) as Packages[S];

/** The API names a service's package has a command for: `PutBucketPolicy` for its PutBucketPolicyCommand. */
export type ApiName<S extends Service> = { [K in keyof Packages[S]]: K extends `${infer Name}Command` ? Name : never }[keyof Packages[S]];
type CommandOf<S extends Service, N extends ApiName<S>> = Packages[S][`${N}Command` & keyof Packages[S]] extends infer C extends CommandClass ? C : never;

export interface Operation<C extends CommandClass = CommandClass, S extends Service = Service> {
  /** `service:ApiName`, e.g. `s3:PutBucketPolicy`: the API's own name, as AWS's references list it. */
  readonly id: string;
  readonly service: S;
  readonly name: string;
  /** Whether the call changes anything: reads may run at any time, writes only in an applied plan or a canary. */
  readonly access: 'read' | 'write';
  readonly grants: readonly Grant[];
  /** The type of the SDK command; never set at run time (see `commandOf`). */
  readonly command?: C;
}

export function defineOperation<S extends Service, N extends ApiName<S>>(
  service: S,
  name: N,
  access: 'read' | 'write',
  grants: [string, string][],
): Operation<CommandOf<S, N>, S> {
  return { id: `${service}:${name}`, service, name, access, grants: grants.map(([action, resource]) => ({ action, resource })) };
}

const loaded = new Map<string, CommandClass>();

/** The operation's SDK command class, its package loaded on first use. */
export function commandOf<C extends CommandClass>(operation: Operation<C>): C {
  const known = loaded.get(operation.id);
  if (known) return known as C;
  const command = (sdkPackage(operation.service) as unknown as Record<string, CommandClass>)[`${operation.name}Command`];
  if (!command) throw new Error(`the ${operation.service} SDK package has no ${operation.name}Command`);
  loaded.set(operation.id, command);
  return command as C;
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
