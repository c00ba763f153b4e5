/**
 * Every option of every command, once: the commander flags, the config-file keys and their type checks, the
 * RawOptions type and the flag each problem names are all derived from this table (see options.ts and program.ts).
 * It is plain data so it can also be turned into a JSON Schema for config files.
 */

import { COMMAND_OPTIONS } from './command-options.js';
import { DEFAULT_ROLE_NAME } from './option-defaults.js';
import type { OptionScope, OptionSpec } from './option-spec.js';
import { STORAGE_CLASSES } from './rules.js';

export { DEFAULT_CANARY_TIMEOUT_SECONDS, DEFAULT_ROLE_NAME } from './option-defaults.js';
export type { OptionScope, OptionSpec, OptionType, Side, SideRole } from './option-spec.js';

/** The options that describe a setup: flags, config-file keys and RawOptions. */
const SETUP_OPTIONS = {
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
    values: STORAGE_CLASSES,
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
} as const satisfies Record<string, OptionSpec>;

export const OPTION_TABLE = { ...SETUP_OPTIONS, ...COMMAND_OPTIONS } as const satisfies Record<string, OptionSpec>;

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
