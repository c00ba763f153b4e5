/**
 * Every option of every command, once: the commander flags, the config-file keys and their type checks, the
 * RawOptions type and the flag each problem names are all derived from this table (see options.ts and program.ts).
 * It is plain data so it can also be turned into a JSON Schema for config files.
 */

export const DEFAULT_ROLE_NAME = 's3-replication-role';
export const DEFAULT_CANARY_TIMEOUT_SECONDS = 900;

/**
 * Which commands take an option. `setup` options describe a setup: every setup-shaped command (wizard, plan, verify)
 * takes them, a config file may hold them, and they make up RawOptions. `common` options every command takes, but
 * not from a config file; `confirm` options the commands that ask before they write (wizard, teardown); `wizard`,
 * `verify`, `teardown`, `permissions` and `export` options only that command takes.
 */
export type OptionScope = 'setup' | 'common' | 'confirm' | 'wizard' | 'verify' | 'teardown' | 'permissions' | 'export' | 'jobs' | 'status';

/**
 * How a value is given. `string`: one value (`--prefix logs/`). `boolean`: present or not (`--json`); with
 * `negation` it also has a `--no-` flag that turns it off (`--rtc`/`--no-rtc`). `list`: repeatable, each use adds one
 * value. `choice`: one of `choices`, checked by commander.
 */
export type OptionType = 'string' | 'boolean' | 'list' | 'choice';

export type Side = 'source' | 'destination';
export type SideRole = 'profile' | 'region' | 'bucket' | 'kmsKey';

export interface OptionSpec {
  readonly scope: OptionScope;
  /** As commander takes it: `--source-profile <name>`, `-y, --yes`, `--no-verify`. */
  readonly flag: string;
  readonly type: OptionType;
  /** `choice` only: the allowed values. */
  readonly choices?: readonly string[];
  readonly help: string;
  /** `boolean` only: help of the `--no-` flag. Such an option is on by default, so problems name the `--no-` flag. */
  readonly negation?: string;
  /** The value used when the option is not given, where there is one literal value. */
  readonly defaultValue?: string | boolean;
  /** The default as help describes it, when it is not a literal value (`the profile's region`) or reads better. */
  readonly defaultText?: string;
  /** An environment variable read when the option is not given. */
  readonly env?: string;
  /** Only meaningful when another option has this value (e.g. a KMS key only with `--encryption sse-kms`). */
  readonly onlyWith?: { readonly key: string; readonly value: string };
  readonly required?: boolean;
  /** Help for `verify`, which only reads, where the general help says what the setup does (`created if missing`). */
  readonly verifyHelp?: string;
  /** Which side of the setup the option describes, and what of it. */
  readonly side?: readonly [Side, SideRole];
}

export const OPTION_TABLE = {
  sourceProfile: {
    scope: 'setup',
    flag: '--source-profile <name>',
    type: 'string',
    side: ['source', 'profile'],
    help: 'AWS profile of the source (partner) account',
    defaultText: 'the default credential chain',
  },
  sourceRegion: {
    scope: 'setup',
    flag: '--source-region <region>',
    type: 'string',
    side: ['source', 'region'],
    help: 'region of the source bucket',
    defaultText: "the profile's region, else $AWS_REGION",
  },
  sourceBucket: {
    scope: 'setup',
    flag: '--source-bucket <name>',
    type: 'string',
    required: true,
    side: ['source', 'bucket'],
    help: 'source bucket, created if missing',
    verifyHelp: 'source bucket to check',
  },
  destProfile: {
    scope: 'setup',
    flag: '--dest-profile <name>',
    type: 'string',
    side: ['destination', 'profile'],
    help: 'AWS profile of the destination (company) account',
    defaultText: 'the default credential chain',
  },
  destRegion: {
    scope: 'setup',
    flag: '--dest-region <region>',
    type: 'string',
    side: ['destination', 'region'],
    help: 'region of the destination bucket',
    defaultText: "the profile's region, else $AWS_REGION",
  },
  destBucket: {
    scope: 'setup',
    flag: '--dest-bucket <name>',
    type: 'string',
    required: true,
    side: ['destination', 'bucket'],
    help: 'destination bucket, created if missing',
    verifyHelp: 'destination bucket to check',
  },
  roleName: {
    scope: 'setup',
    flag: '--role-name <name>',
    type: 'string',
    help: 'replication role in the source account',
    defaultValue: DEFAULT_ROLE_NAME,
  },
  authorizedUser: {
    scope: 'setup',
    flag: '--authorized-user <nameOrArn>',
    type: 'list',
    help: 'destination-account IAM user (or user/role ARN) allowed to read the source bucket',
  },
  prefix: {
    scope: 'setup',
    flag: '--prefix <prefix>',
    type: 'string',
    help: 'replicate only keys under this prefix',
    defaultValue: '',
    defaultText: 'the whole bucket',
  },
  rtc: {
    scope: 'setup',
    flag: '--rtc',
    type: 'boolean',
    defaultValue: true,
    help: 'Replication Time Control, 15 minutes',
    negation: 'turn Replication Time Control off',
  },
  deleteMarkerReplication: {
    scope: 'setup',
    flag: '--delete-marker-replication',
    type: 'boolean',
    defaultValue: true,
    help: 'replicate delete markers',
    negation: 'do not replicate delete markers',
  },
  encryption: {
    scope: 'setup',
    flag: '--encryption <mode>',
    type: 'choice',
    choices: ['sse-s3', 'sse-kms'],
    help: 'default bucket encryption',
    defaultValue: 'sse-s3',
  },
  sourceKmsKey: {
    scope: 'setup',
    flag: '--source-kms-key <arnOrAlias>',
    type: 'string',
    side: ['source', 'kmsKey'],
    help: 'KMS key of the source bucket',
    onlyWith: { key: 'encryption', value: 'sse-kms' },
    defaultText: 'a new key',
  },
  destKmsKey: {
    scope: 'setup',
    flag: '--dest-kms-key <arnOrAlias>',
    type: 'string',
    side: ['destination', 'kmsKey'],
    help: 'KMS key for the replicas',
    onlyWith: { key: 'encryption', value: 'sse-kms' },
    defaultText: 'a new key',
  },
  uploader: {
    scope: 'setup',
    flag: '--uploader <nameOrArn>',
    type: 'list',
    help: 'replicate only what this source-account user/role uploads (under <prefix><name>/)',
  },
  storageClass: {
    scope: 'setup',
    flag: '--storage-class <class>',
    type: 'string',
    help: 'storage class of the replicas (STANDARD_IA, GLACIER_IR, …)',
  },
  preset: {
    scope: 'setup',
    flag: '--preset <name>',
    type: 'choice',
    choices: ['log-backup'],
    help: 'a ready-made setup',
  },
  replicateExisting: {
    scope: 'setup',
    flag: '--replicate-existing',
    type: 'boolean',
    help: 'also replicate the objects already in the source bucket, with one S3 Batch Replication job (billed per object)',
  },
  alertEmail: {
    scope: 'setup',
    flag: '--alert-email <address>',
    type: 'list',
    help: 'email this address when replication fails (an SNS subscription the person must confirm)',
  },
  alertTopic: {
    scope: 'setup',
    flag: '--alert-topic <arn>',
    type: 'string',
    help: "send replication failure alerts to this existing SNS topic (in the source account and the source bucket's region)",
    defaultText: 'a topic of this setup, with --alert-email',
  },
  endpointUrl: {
    scope: 'setup',
    flag: '--endpoint-url <url>',
    type: 'string',
    env: 'AWS_ENDPOINT_URL',
    help: 'send every AWS call to this endpoint (an emulator)',
  },

  config: {
    scope: 'common',
    flag: '--config <file>',
    type: 'string',
    help: 'read options from a JSON or YAML file: one setup, or a fleet { defaults, setups: [...] } (flags win, and apply to every setup)',
  },
  only: {
    scope: 'common',
    flag: '--only <name>',
    type: 'list',
    help: 'with a fleet --config: run only the setup of this name',
  },
  json: {
    scope: 'common',
    flag: '--json',
    type: 'boolean',
    help: 'print exactly one JSON object on stdout',
  },

  yes: {
    scope: 'confirm',
    flag: '-y, --yes',
    type: 'boolean',
    help: 'do not ask anything; apply without confirmation',
  },
  saveConfig: {
    scope: 'wizard',
    flag: '--save-config <file>',
    type: 'string',
    help: 'write the answers to a config file for later runs',
  },
  verify: {
    scope: 'wizard',
    flag: '--no-verify',
    type: 'boolean',
    help: 'skip the verification report at the end',
  },
  skipPermissionCheck: {
    scope: 'wizard',
    flag: '--skip-permission-check',
    type: 'boolean',
    help: "do not ask IAM's policy simulator, before the first write, whether each profile may make every call of the plan",
  },

  expectDenied: {
    scope: 'verify',
    flag: '--expect-denied <nameOrArn>',
    type: 'list',
    help: 'principal the source bucket must grant nothing (e.g. clint-eastwood)',
  },
  probeProfile: {
    scope: 'verify',
    flag: '--probe-profile <name=profile>',
    type: 'list',
    help: "really list and read the source bucket as NAME with PROFILE's credentials",
  },
  canary: {
    scope: 'verify',
    flag: '--canary',
    type: 'boolean',
    help: 'put a small object, wait for its replica, check it, delete both',
  },
  canaryTimeout: {
    scope: 'verify',
    flag: '--canary-timeout <seconds>',
    type: 'string',
    help: "how long to wait for the canary's replica",
    defaultText: String(DEFAULT_CANARY_TIMEOUT_SECONDS),
  },

  deleteBuckets: {
    scope: 'teardown',
    flag: '--delete-buckets',
    type: 'boolean',
    help: 'also delete both buckets, when they hold no object version and no other setup uses them',
  },
  deleteObjects: {
    scope: 'teardown',
    flag: '--delete-objects',
    type: 'boolean',
    help: 'with --delete-buckets: first delete every object version and delete marker in them',
  },
  deleteKeys: {
    scope: 'teardown',
    flag: '--delete-keys',
    type: 'boolean',
    help: 'also schedule the KMS keys the tool created for deletion (30 days), when no other setup uses them',
  },
  for: {
    scope: 'permissions',
    flag: '--for <command>',
    type: 'choice',
    choices: ['wizard', 'verify', 'canary', 'teardown', 'status', 'jobs', 'all'],
    help: 'the command the policy is for (canary: verify --canary; teardown: what removing the setup calls; status, jobs: their reads)',
    defaultValue: 'wizard',
  },
  wait: {
    scope: 'jobs',
    flag: '--wait',
    type: 'boolean',
    help: 'poll until every job has ended (Ctrl-C stops waiting, not the job)',
  },
  format: {
    scope: 'export',
    flag: '--format <format>',
    type: 'choice',
    choices: ['terraform', 'cloudformation'],
    required: true,
    help: 'what to write: a Terraform directory or CloudFormation templates',
  },
  out: {
    scope: 'export',
    flag: '--out <dir>',
    type: 'string',
    help: 'write the files into this directory',
    defaultText: 'one file on stdout',
  },
  since: {
    scope: 'status',
    flag: '--since <duration>',
    type: 'string',
    help: 'how far back the metrics go: minutes, hours or days (90m, 24h, 7d; at most 15d)',
    defaultValue: '24h',
  },
  sample: {
    scope: 'status',
    flag: '--sample <count>',
    type: 'string',
    help: 'how many of the newest source objects to check the replication status of (0 to 1000)',
    defaultValue: '20',
  },
  watch: {
    scope: 'status',
    flag: '--watch',
    type: 'boolean',
    help: 'refresh every minute until Ctrl-C',
  },
} as const satisfies Record<string, OptionSpec>;

export type OptionTable = typeof OPTION_TABLE;
/** The key of any option of any command, as commander names its value (`sourceProfile` for `--source-profile`). */
export type OptionKey = keyof OptionTable;
/** The options of one scope. */
export type OptionKeyOf<S extends OptionScope> = { [K in OptionKey]: OptionTable[K]['scope'] extends S ? K : never }[OptionKey];
/** The options that describe a setup: RawOptions' keys and a config file's. */
export type SetupOptionKey = OptionKeyOf<'setup'>;

/** The value an option holds once given: a list for `list`, true/false for `boolean`, otherwise the text as given. */
export type OptionValue<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S['type'] extends 'list' ? string[] : string;

const entries = Object.entries(OPTION_TABLE) as [OptionKey, OptionSpec][];

/** The keys of one scope, in table order (which is the order help lists them in). */
export const optionKeys = <S extends OptionScope>(scope: S): OptionKeyOf<S>[] =>
  entries.filter(([, spec]) => spec.scope === scope).map(([key]) => key as OptionKeyOf<S>);

export const optionSpec = (key: OptionKey): OptionSpec => OPTION_TABLE[key];

/** The long flag without its value (`--source-profile`, `--yes`, `--no-verify`). */
export const longFlag = (spec: OptionSpec): string => /--[a-z][a-z-]*/.exec(spec.flag)![0];

/** The help text with the default (and the option it goes with) as the CLI has always shown them. */
export function helpText(spec: OptionSpec, command?: string): string {
  const help = command === 'verify' && spec.verifyHelp !== undefined ? spec.verifyHelp : spec.help;
  const repeatable = spec.type === 'list' ? '; repeatable' : '';
  if (spec.env !== undefined) return `${help}; default $${spec.env}`;
  if (spec.type === 'boolean' && spec.defaultValue === true) return `${help} (default)`;
  const defaultText = spec.defaultText ?? (typeof spec.defaultValue === 'string' ? spec.defaultValue : undefined);
  const notes = [spec.required ? 'required' : undefined, spec.onlyWith?.value, defaultText === undefined ? undefined : `default: ${defaultText}`].filter(
    (note) => note !== undefined,
  );
  return `${help}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}${repeatable}`;
}
