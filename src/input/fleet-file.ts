import type { InputProblem } from '../errors.js';
import { configFileProblems, flagOf, isSetupKey, matchesType, problemAt, type RawOptions, SETUP_OPTION_KEYS, wantedInConfig } from './options.js';

/** One setup of a fleet file: its name, where it stands in the file, and its options (defaults merged in). */
export interface FleetEntry {
  name: string;
  /** `setups[3]`, as problems name it. */
  path: string;
  raw: RawOptions;
}

export type ConfigFile = { kind: 'one'; raw: RawOptions } | { kind: 'fleet'; entries: FleetEntry[] };

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** JSON, or YAML for `.yaml`/`.yml` (the `yaml` package: YAML 1.2, so `no` stays a string). */
export async function parseConfigText(path: string, text: string): Promise<unknown> {
  if (/\.ya?ml$/i.test(path)) {
    const { parse } = await import('yaml');
    try {
      return parse(text);
    } catch (error) {
      throw [problemAt('config', `"${path}" is not valid YAML: ${(error as Error).message}`)];
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw [problemAt('config', `"${path}" is not valid JSON: ${(error as Error).message}`)];
  }
}

/** Problems with one object of options, each naming its path in the file (`setups[3].destBucket`). */
function optionProblems(options: Record<string, unknown>, path: string, extra: readonly string[]): InputProblem[] {
  return Object.entries(options).flatMap(([key, value]): InputProblem[] => {
    if (extra.includes(key)) return [];
    if (!isSetupKey(key)) return [{ flag: `${path}.${key}`, message: `is not an option (allowed: ${SETUP_OPTION_KEYS.join(', ')})` }];
    return matchesType(value, key)
      ? []
      : [{ flag: `${path}.${key}`, message: `(${flagOf(key)}) must be ${wantedInConfig(key)}, not ${JSON.stringify(value)}` }];
  });
}

export const defaultSetupName = (raw: RawOptions): string => `${raw.sourceBucket ?? '?'}→${raw.destBucket ?? '?'}`;

/**
 * Pure: a parsed config file as one setup or a fleet, or every problem in it at once, each with its path. A fleet is
 * an object with `setups`; each setup inherits `defaults`, and options given as flags apply to every setup.
 */
export function readConfigObject(parsed: unknown, path: string, flags: RawOptions): { file?: ConfigFile; problems: InputProblem[] } {
  if (!isObject(parsed)) return { problems: [problemAt('config', `"${path}" must hold a JSON object of options, or a fleet { defaults, setups: [...] }`)] };
  if (!('setups' in parsed)) {
    const problems = configFileProblems(parsed, path);
    const { $schema: _schema, ...options } = parsed;
    return problems.length > 0 ? { problems } : { file: { kind: 'one', raw: { ...options, ...flags } as RawOptions }, problems };
  }
  const problems: InputProblem[] = [];
  for (const key of Object.keys(parsed)) {
    if (!['$schema', 'defaults', 'setups'].includes(key)) problems.push({ flag: key, message: `is not allowed in a fleet file (allowed: defaults, setups)` });
  }
  const defaults = parsed.defaults ?? {};
  if (!isObject(defaults)) problems.push({ flag: 'defaults', message: 'must be an object of options' });
  else problems.push(...optionProblems(defaults, 'defaults', []));
  const setups = parsed.setups;
  if (!Array.isArray(setups) || setups.length === 0) {
    problems.push({ flag: 'setups', message: 'must be a list of at least one setup' });
    return { problems };
  }
  const entries: FleetEntry[] = [];
  const seen = new Map<string, string>();
  setups.forEach((setup, index) => {
    const at = `setups[${index}]`;
    if (!isObject(setup)) {
      problems.push({ flag: at, message: 'must be an object of options' });
      return;
    }
    problems.push(...optionProblems(setup, at, ['name']));
    if ('name' in setup && (typeof setup.name !== 'string' || setup.name.trim() === ''))
      problems.push({ flag: `${at}.name`, message: 'must be a non-empty string' });
    const { name: given, ...options } = setup;
    const raw = { ...(isObject(defaults) ? defaults : {}), ...options, ...flags } as RawOptions;
    const name = typeof given === 'string' && given.trim() !== '' ? given : defaultSetupName(raw);
    const other = seen.get(name);
    if (other) problems.push({ flag: `${at}.name`, message: `"${name}" is also the name of ${other}: names must be unique (give each a name)` });
    seen.set(name, at);
    entries.push({ name, path: at, raw });
  });
  return problems.length > 0 ? { problems } : { file: { kind: 'fleet', entries }, problems };
}
