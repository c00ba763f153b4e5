import type { InputProblem } from '../errors.js';
import {
  longFlag,
  OPTION_TABLE,
  type OptionKey,
  type OptionTable,
  type OptionValue,
  optionKeys,
  optionSpec,
  type SetupOptionKey,
  type Side,
  type SideRole,
} from './option-table.js';

export {
  DEFAULT_CANARY_TIMEOUT_SECONDS,
  DEFAULT_ROLE_NAME,
  helpText,
  longFlag,
  OPTION_TABLE,
  type OptionKey,
  type OptionKeyOf,
  type OptionScope,
  type OptionSpec,
  type OptionTable,
  type OptionType,
  type OptionValue,
  optionKeys,
  optionSpec,
  type SetupOptionKey,
  type Side,
  type SideRole,
} from './option-table.js';

/**
 * Options as they arrive from flags, a config file or the wizard, before validation. Names match the long flags
 * (`sourceProfile` is `--source-profile`), so every problem can name the flag the user typed.
 */
export type RawOptions = OptionValues<SetupOptionKey>;

/** The values of some options as commander hands them over, each optional. */
export type OptionValues<K extends OptionKey> = { -readonly [P in K]?: OptionValue<OptionTable[P]> };

/** The setup options in table order: what flags copy into RawOptions and what a config file may hold. */
export const SETUP_OPTION_KEYS: readonly SetupOptionKey[] = optionKeys('setup');

/**
 * The flag a problem with an option names: the long flag, or for an option that is on by default the `--no-` flag
 * that turns it off (`rtc` is `--no-rtc`).
 */
export const flagOf = (key: OptionKey): string => {
  const spec = optionSpec(key);
  const flag = longFlag(spec);
  return spec.negation !== undefined ? flag.replace(/^--/, '--no-') : flag;
};

const KEY_OF_FLAG = new Map(Object.keys(OPTION_TABLE).map((key) => [flagOf(key as OptionKey), key as OptionKey]));

/** The option a problem's flag names (`--no-rtc` is `rtc`), or undefined for a flag that is no option's. */
export const keyOfFlag = (flag: string): OptionKey | undefined => KEY_OF_FLAG.get(flag);

/** A problem with an option, naming its flag; for code that should not write flag strings. */
export const problemAt = (key: OptionKey, message: string): InputProblem => ({ flag: flagOf(key), message });

type RequiredKey = { [K in SetupOptionKey]: OptionTable[K] extends { required: true } ? K : never }[SetupOptionKey];

export const REQUIRED_OPTIONS = optionKeys('setup').filter((key) => optionSpec(key).required === true) as readonly RequiredKey[];

type SideKey<S extends Side, R extends SideRole> = {
  [K in SetupOptionKey]: OptionTable[K] extends { side: readonly [S, R] } ? K : never;
}[SetupOptionKey];
type SideOptions = { readonly [S in Side]: { readonly [R in SideRole]: SideKey<S, R> } };

/** The options that describe each side, so code working per side names the right flag. */
export const SIDE_OPTIONS: SideOptions = (() => {
  const sides = { source: {}, destination: {} } as Record<Side, Partial<Record<SideRole, SetupOptionKey>>>;
  for (const key of optionKeys('setup')) {
    const spec = optionSpec(key);
    if (spec.side) sides[spec.side[0]][spec.side[1]] = key;
  }
  return sides as SideOptions;
})();

/** The flags of one side, e.g. `sideFlags('destination').bucket` is `--dest-bucket`. */
export const sideFlags = (side: Side): Record<SideRole, string> => {
  const keys = SIDE_OPTIONS[side];
  return { profile: flagOf(keys.profile), region: flagOf(keys.region), bucket: flagOf(keys.bucket), kmsKey: flagOf(keys.kmsKey) };
};

/** What a config file's value of an option must be, as its type-check message says it. */
export const wantedInConfig = (key: SetupOptionKey): string => {
  const { type } = optionSpec(key);
  return type === 'boolean' ? 'true or false' : type === 'list' ? 'a list of strings' : 'a string';
};

export const matchesType = (value: unknown, key: SetupOptionKey): boolean => {
  const { type } = optionSpec(key);
  return type === 'boolean'
    ? typeof value === 'boolean'
    : type === 'list'
      ? Array.isArray(value) && value.every((item) => typeof item === 'string')
      : typeof value === 'string';
};

export const isSetupKey = (key: string): key is SetupOptionKey => (SETUP_OPTION_KEYS as readonly string[]).includes(key);

/**
 * Pure: the problems with a config file's parsed JSON object, all naming `--config`: any unknown keys, and every
 * value of the wrong type. A config file is JSON a person wrote: a number where a name belongs must be refused
 * here, not crash validation.
 */
export function configFileProblems(parsed: object, path: string): InputProblem[] {
  // `$schema` points an editor at the published JSON Schema; it is not an option.
  const unknown = Object.keys(parsed).filter((key) => !isSetupKey(key) && key !== '$schema');
  const unknownProblems =
    unknown.length > 0 ? [problemAt('config', `"${path}" has unknown keys: ${unknown.join(', ')} (allowed: ${SETUP_OPTION_KEYS.join(', ')})`)] : [];
  const typeProblems = Object.entries(parsed).flatMap(([key, value]) =>
    isSetupKey(key) && !matchesType(value, key)
      ? [problemAt('config', `"${path}": ${key} (${flagOf(key)}) must be ${wantedInConfig(key)}, not ${JSON.stringify(value)}`)]
      : [],
  );
  return [...unknownProblems, ...typeProblems];
}
