import { readFile } from 'node:fs/promises';
import { type AwsClients, type ClientOptions, createAwsClients } from '../aws/clients.js';
import { loadProfileCatalog } from '../aws/profiles.js';
import { ApplyFailedError } from '../engine/apply-result.js';
import { InputError, type InputProblem, isReplicateSetupError, ReplicateSetupError } from '../errors.js';
import { type ConfigFile, type OneSetupFile, onlyWithoutFleet, parseConfigText, readConfigObject, unknownOnlyNames } from '../input/fleet-file.js';
import { keyOfFlag, problemAt, type RawOptions, SETUP_OPTION_KEYS } from '../input/options.js';
import type { SetupInput } from '../input/types.js';
import { validateOptions } from '../input/validate.js';
import { errorJson } from '../report/json-view.js';
import type { Output } from '../report/output.js';
import { renderSteps } from '../report/plan-view.js';
import { mfaCodeProvider } from '../wizard/mfa.js';
import { loadPromptKit } from '../wizard/prompt-kit.js';

/** The setup options given as flags, and the endpoint from AWS_ENDPOINT_URL like the AWS CLI's. */
function flagOptions(flags: Record<string, unknown>): RawOptions {
  const raw: Record<string, unknown> = {};
  for (const key of SETUP_OPTION_KEYS) if (flags[key] !== undefined) raw[key] = flags[key];
  return raw as RawOptions;
}

const withEnvEndpoint = (raw: RawOptions, env: NodeJS.ProcessEnv): RawOptions =>
  raw.endpointUrl === undefined && env.AWS_ENDPOINT_URL ? { ...raw, endpointUrl: env.AWS_ENDPOINT_URL } : raw;

/**
 * The --config file (one setup or a fleet) with the flags applied over it, or undefined without --config. Every
 * problem in the file is reported at once, each with its path; a fleet's key problems come with it, for the fleet
 * runner to report with its values' problems.
 */
export async function loadConfigFile(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Promise<ConfigFile | undefined> {
  if (typeof flags.config !== 'string') return undefined;
  const path = flags.config;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError([problemAt('config', `cannot read "${path}"`)]);
  }
  const parsed = await parseConfigText(path, text).catch((problems: InputProblem[]) => {
    throw new InputError(problems);
  });
  const { file, problems } = readConfigObject(parsed, path, flagOptions(flags));
  if (!file) throw new InputError(problems);
  return file.kind === 'one'
    ? { ...file, raw: withEnvEndpoint(file.raw, env) }
    : { ...file, entries: file.entries.map((entry) => ({ ...entry, raw: withEnvEndpoint(entry.raw, env) })) };
}

/**
 * Flags win over the config file; the endpoint falls back to AWS_ENDPOINT_URL like the AWS CLI's. A command that
 * takes one setup takes one of a fleet file when --only names exactly one.
 */
export async function rawOptionsFrom(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Promise<RawOptions> {
  const file = await loadConfigFile(flags, env);
  const only = Array.isArray(flags.only) ? (flags.only as string[]) : [];
  if (file?.kind !== 'fleet') {
    const onlyProblems = only.length > 0 ? [onlyWithoutFleet()] : [];
    if (!file) {
      if (onlyProblems.length > 0) throw new InputError(onlyProblems);
      return withEnvEndpoint(flagOptions(flags), env);
    }
    const problems = [...onlyProblems, ...file.problems, ...(await givenValueProblems(file, String(flags.config), flagOptions(flags)))];
    if (problems.length > 0) throw new InputError(problems);
    return file.raw;
  }
  const names = file.entries.map((e) => e.name).join(', ');
  const problems = [...unknownOnlyNames(file.entries, only), ...file.problems];
  if (problems.length > 0) throw new InputError(problems);
  const chosen = file.entries.filter((entry) => only.includes(entry.name));
  if (chosen.length === 1) return chosen[0]!.raw;
  throw new InputError([
    only.length === 0
      ? problemAt('config', `"${flags.config}" holds ${file.entries.length} setups and this command takes one: name it with --only (${names})`)
      : problemAt('only', `this command takes one setup, not ${only.length}: name one of ${names}`),
  ]);
}

/**
 * The problems of the values a one-setup file (or a flag beside it) gives, found with the file's key problems so that
 * one message names them all: the user fixes the file once, not once per kind of problem. A value written in the file
 * is named by its key there (`--config: "setup.json": sourceBucket (--source-bucket) …`), one given as a flag by its
 * flag. What is missing is left out (the wizard asks for it, and a key of the wrong type is named already).
 */
async function givenValueProblems(file: OneSetupFile, path: string, fromFlags: RawOptions): Promise<InputProblem[]> {
  try {
    validateOptions(file.raw, await loadProfileCatalog());
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.problems.flatMap((problem) => {
      const key = keyOfFlag(problem.flag);
      if (key === undefined || !(key in file.raw)) return [];
      return key in fromFlags ? [problem] : [problemAt('config', `"${path}": ${key} (${problem.flag}) ${problem.message}`)];
    });
  }
}

/**
 * Validated input and the clients for it. Reads the user's profile files, makes no AWS call. A role profile that
 * needs an MFA code asks for it at a terminal (stdin and stderr both terminals), and fails clearly without one.
 */
export async function inputAndClients(raw: RawOptions, options: ClientOptions = {}): Promise<{ input: SetupInput; clients: AwsClients }> {
  const input = validateOptions(raw, await loadProfileCatalog());
  const mfa = options.mfaCodeProvider ?? mfaCodeProvider(!!process.stdin.isTTY && !!process.stderr.isTTY, () => loadPromptKit());
  return { input, clients: await createAwsClients(input, { ...options, mfaCodeProvider: mfa }) };
}

/** Reports a failure in the mode the user asked for and returns the exit code. */
export function reportFailure(error: unknown, output: Output): number {
  const known: ReplicateSetupError = isReplicateSetupError(error)
    ? error
    : new ReplicateSetupError('AWS_ERROR', (error as Error)?.message ?? String(error), {
        remedy: 'This looks like a bug in replicate-setup; please report it with the command you ran.',
      });
  const steps = error instanceof ApplyFailedError ? error.steps : undefined;
  if (output.json) {
    output.emitJson(errorJson(known, steps));
  } else {
    const c = output.errColor;
    if (steps) output.progress(renderSteps(steps, c));
    output.progress(`${c.red('Error:')} ${known.message}`);
    if (known.remedy) output.progress(`${c.bold('What to do:')} ${known.remedy}`);
  }
  return known.exitCode;
}
