import type { InputProblem } from '../errors.js';
import { configFileProblems, flagOf, isSetupKey, matchesType, problemAt, type RawOptions, SETUP_OPTION_KEYS, wantedInConfig } from './options.js';

/** One setup of a fleet file: its name, where it stands in the file, and its options (defaults merged in). */
export interface FleetEntry {
  name: string;
  /** `setups[3]`, as problems name it. */
  path: string;
  raw: RawOptions;
  /**
   * Where a key of `raw` came from when not from the entry itself: the file's `defaults`, or a flag given on the
   * command line. A bad value there is reported once, where it was written, not once per setup.
   */
  origins: Partial<Record<string, 'defaults' | 'flag'>>;
}

/**
 * A fleet comes with the problems of its keys (unknown, or of the wrong type): each entry then holds only its sound
 * keys, so validating the entries reports their values' problems in the same message.
 */
export type FleetFile = { kind: 'fleet'; entries: FleetEntry[]; problems: InputProblem[] };
/** A one-setup file likewise keeps only its sound keys, with the problems of the others. */
export type OneSetupFile = { kind: 'one'; raw: RawOptions; problems: InputProblem[] };
export type ConfigFile = OneSetupFile | FleetFile;

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** JSON, or YAML for `.yaml`/`.yml` (the `yaml` package: YAML 1.2, so `no` stays a string). */
export async function parseConfigText(path: string, text: string): Promise<unknown> {
  if (/\.ya?ml$/i.test(path)) {
    const { parse } = await import('yaml');
    try {
      // Merge keys (`<<: *common`) are the YAML idiom for options several setups share.
      return parse(text, { merge: true });
    } catch (error) {
      throw [problemAt('config', `"${path}" is not valid YAML: ${(error as Error).message}`)];
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw [problemAt('config', `"${path}" is not valid JSON: ${(error as Error).message}`)];
  }
  // JSON.parse keeps the last of two equal keys without a word, where YAML refuses them: a key given twice is refused
  // here too, so one file never means two things. JSON is YAML 1.2, so the same parser finds where.
  const { parseDocument } = await import('yaml');
  const twice = parseDocument(text, { uniqueKeys: true }).errors.filter((error) => error.code === 'DUPLICATE_KEY');
  if (twice.length > 0) throw twice.map((error) => problemAt('config', `"${path}" gives a key twice: ${error.message.split('\n')[0]?.replace(/:$/, '')}`));
  return parsed;
}

/** The problem with one key of an object of options, named by its path in the file (`setups[3].destBucket`). */
function keyProblem(key: string, value: unknown, path: string): InputProblem | undefined {
  if (!isSetupKey(key)) return { flag: `${path}.${key}`, message: `is not an option (allowed: ${SETUP_OPTION_KEYS.join(', ')})` };
  return matchesType(value, key)
    ? undefined
    : { flag: `${path}.${key}`, message: `(${flagOf(key)}) must be ${wantedInConfig(key)}, not ${JSON.stringify(value)}` };
}

/** An object's sound options, and the problems of the others (which are left out). */
function soundOptions(options: Record<string, unknown>, path: string, extra: readonly string[]): { sound: Record<string, unknown>; problems: InputProblem[] } {
  const sound: Record<string, unknown> = {};
  const problems: InputProblem[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (extra.includes(key)) continue;
    const problem = keyProblem(key, value, path);
    if (problem) problems.push(problem);
    else sound[key] = value;
  }
  return { sound, problems };
}

/** `--only` selects setups of a fleet file: given without one, it is a mistake, not a no-op. */
export const onlyWithoutFleet = (): InputProblem => problemAt('only', 'selects setups of a fleet --config file');

/** Each `--only` name that is no setup's, named with the setups there are. */
export const unknownOnlyNames = (entries: readonly FleetEntry[], only: readonly string[]): InputProblem[] =>
  only
    .filter((name) => !entries.some((entry) => entry.name === name))
    .map((name) => problemAt('only', `no setup is named "${name}" (setups: ${entries.map((e) => e.name).join(', ')})`));

export const defaultSetupName = (raw: RawOptions): string => `${raw.sourceBucket ?? '?'}→${raw.destBucket ?? '?'}`;

/**
 * Pure: a parsed config file as one setup or a fleet, or every problem in it at once, each with its path. A fleet is
 * an object with `setups`; each setup inherits `defaults`, and options given as flags apply to every setup. A fleet
 * whose shape is sound is returned with its keys' problems (see ConfigFile), so values can be checked too.
 */
export function readConfigObject(parsed: unknown, path: string, flags: RawOptions): { file?: ConfigFile; problems: InputProblem[] } {
  if (!isObject(parsed))
    return {
      problems: [
        problemAt(
          'config',
          `"${path}" must hold an object of options (one setup), or a fleet { defaults, setups: [...] }${parsed === null || parsed === undefined ? ', and it is empty' : ''}`,
        ),
      ],
    };
  if (!('setups' in parsed)) {
    const problems = configFileProblems(parsed, path);
    const { $schema: _schema, ...options } = parsed;
    const sound = Object.fromEntries(Object.entries(options).filter(([key, value]) => isSetupKey(key) && matchesType(value, key)));
    return { file: { kind: 'one', raw: { ...sound, ...flags } as RawOptions, problems }, problems };
  }
  const problems: InputProblem[] = [];
  for (const key of Object.keys(parsed)) {
    if (!['$schema', 'defaults', 'setups'].includes(key)) problems.push({ flag: key, message: `is not allowed in a fleet file (allowed: defaults, setups)` });
  }
  const givenDefaults = parsed.defaults ?? {};
  if (!isObject(givenDefaults)) problems.push({ flag: 'defaults', message: 'must be an object of options' });
  const checkedDefaults = soundOptions(isObject(givenDefaults) ? givenDefaults : {}, 'defaults', []);
  problems.push(...checkedDefaults.problems);
  const defaults = checkedDefaults.sound;
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
    const options = soundOptions(setup, at, ['name']);
    problems.push(...options.problems);
    if ('name' in setup && (typeof setup.name !== 'string' || setup.name.trim() === ''))
      problems.push({ flag: `${at}.name`, message: 'must be a non-empty string' });
    const given = setup.name;
    const raw = { ...defaults, ...options.sound, ...flags } as RawOptions;
    const name = typeof given === 'string' && given.trim() !== '' ? given : defaultSetupName(raw);
    const other = seen.get(name);
    if (other) problems.push({ flag: `${at}.name`, message: `"${name}" is also the name of ${other}: names must be unique (give each a name)` });
    seen.set(name, at);
    const origins: FleetEntry['origins'] = {};
    for (const key of Object.keys(raw)) {
      if (key in flags) origins[key] = 'flag';
      else if (!(key in options.sound)) origins[key] = 'defaults';
    }
    entries.push({ name, path: at, raw, origins });
  });
  return { file: { kind: 'fleet', entries, problems }, problems };
}
