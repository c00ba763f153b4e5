/** The shape of one option in the table of options (option-table.ts). */

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
  /**
   * `string` only: the allowed values, checked by the tool's validation (which names every bad value at once, with
   * what is allowed) rather than by the flag parser, and published in the JSON Schema as an enum.
   */
  readonly values?: readonly string[];
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
