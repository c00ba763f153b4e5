import { readFile } from 'node:fs/promises';
import { type AwsClients, type ClientOptions, createAwsClients } from '../aws/clients.js';
import { loadProfileCatalog } from '../aws/profiles.js';
import { ApplyFailedError } from '../engine/apply-result.js';
import { InputError, isReplicateSetupError, ReplicateSetupError } from '../errors.js';
import { configFileProblems, problemAt, type RawOptions, SETUP_OPTION_KEYS } from '../input/options.js';
import type { SetupInput } from '../input/types.js';
import { validateOptions } from '../input/validate.js';
import { errorJson } from '../report/json-view.js';
import type { Output } from '../report/output.js';
import { renderSteps } from '../report/plan-view.js';
import { mfaCodeProvider } from '../wizard/mfa.js';
import { loadPromptKit } from '../wizard/prompt-kit.js';

/** Flags win over the config file; the endpoint falls back to AWS_ENDPOINT_URL like the AWS CLI's. */
export async function rawOptionsFrom(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Promise<RawOptions> {
  const fromFile = typeof flags.config === 'string' ? await readConfigFile(flags.config) : {};
  const raw: Record<string, unknown> = { ...fromFile };
  for (const key of SETUP_OPTION_KEYS) if (flags[key] !== undefined) raw[key] = flags[key];
  if (raw.endpointUrl === undefined && env.AWS_ENDPOINT_URL) raw.endpointUrl = env.AWS_ENDPOINT_URL;
  return raw as RawOptions;
}

async function readConfigFile(path: string): Promise<RawOptions> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError([problemAt('config', `cannot read "${path}"`)]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError([problemAt('config', `"${path}" is not valid JSON: ${(error as Error).message}`)]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError([problemAt('config', `"${path}" must hold a JSON object of options`)]);
  }
  const problems = configFileProblems(parsed, path);
  if (problems.length > 0) throw new InputError(problems);
  return parsed as RawOptions;
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
