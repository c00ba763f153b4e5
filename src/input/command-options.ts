import { DEFAULT_CANARY_TIMEOUT_SECONDS } from './option-defaults.js';
import type { OptionSpec } from './option-spec.js';

/** The options of the commands themselves (not of a setup): output, confirmation, and each command's own. */
export const COMMAND_OPTIONS = {
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
