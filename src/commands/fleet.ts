import type { AccountClients, AwsClients, ClientOptions } from '../aws/clients.js';
import { ApplyFailedError } from '../engine/apply-result.js';
import type { EventSink } from '../engine/events.js';
import { InputError, type InputProblem, isReplicateSetupError, ReplicateSetupError } from '../errors.js';
import { fleetAccountProblems, fleetPairProblems, type PlacedSetup, profilesToCompare } from '../input/fleet-consistency.js';
import { type FleetEntry, type FleetFile, onlyWithoutFleet, unknownOnlyNames } from '../input/fleet-file.js';
import { keyOfFlag } from '../input/options.js';
import type { SetupInput } from '../input/types.js';
import { fleetProgress } from '../report/fleet-progress.js';
import { type FleetRow, renderFleet } from '../report/fleet-view.js';
import { stepJson } from '../report/json-view.js';
import type { Output } from '../report/output.js';
import { interruptedExitCode, interruptible } from '../wizard/interrupt.js';
import { loadConfigFile } from './common.js';
import { type CommandContext, type HarnessDeps, runCommand } from './harness.js';

/**
 * What one setup of a fleet came to: whether it succeeded and what a person reads of it (the table's row: summary,
 * changes by account, details), its steps as JSON.
 */
export interface SetupOutcome extends Omit<FleetRow, 'name' | 'error'> {
  steps: Record<string, unknown>[];
  /** Anything else the command reports for the setup (a verify report), as JSON. */
  json?: Record<string, unknown>;
  /**
   * What is left to do once every setup has done the above (the wizard's closing verify): run when nothing writes any
   * more, so reads that serve several setups are made once (`FleetSetup.sharedReads`).
   */
  afterAll?: (sharedReads: Map<string, Promise<unknown>>) => Promise<SetupOutcome>;
}

export interface FleetSetup {
  name: string;
  input: SetupInput;
  clients: AwsClients;
  events: EventSink;
  /** For a command that only reads: reads that serve several setups, made once. */
  sharedReads: Map<string, Promise<unknown>>;
  /** Fired by Ctrl-C in a command that writes: the calls under way finish, no new step starts. */
  signal?: AbortSignal;
}

export interface FleetCommand {
  /** The command's name, in the JSON object. */
  name: string;
  /** It writes, so running it again finishes what a failed setup left (the summary says so). */
  writes?: boolean;
  /** The command's own flag problems (besides each setup's), found before any AWS call. */
  usageProblems?: (flags: Record<string, unknown>) => InputProblem[];
  /** Waited for before the report: work a setup left running (releasing its locks). */
  settled?: () => Promise<void>;
  /** Runs one setup; a throw is that setup's failure, not the fleet's. */
  runSetup: (setup: FleetSetup, flags: Record<string, unknown>) => Promise<SetupOutcome>;
}

/**
 * Runs a command either as it always ran (no --config, or a one-setup file) or over every setup of a fleet file. A
 * command opts in with one call: `runFleetOr(flags, deps, fleetCommand, oneSetupBody)`. Setups run concurrently; calls
 * are bounded per account and service (aws/send.ts); setups writing one bucket's documents take turns
 * (engine/document-lock.ts). A failed setup does not stop the others; the exit code is 1 when any failed.
 */
export async function runFleetOr(
  flags: Record<string, unknown>,
  deps: HarnessDeps,
  command: FleetCommand,
  oneSetup: (context: CommandContext) => Promise<number>,
): Promise<number> {
  return runCommand(flags, deps, async (context) => {
    const file = await loadConfigFile(flags);
    if (file?.kind !== 'fleet') {
      if (Array.isArray(flags.only) && flags.only.length > 0) throw new InputError([onlyWithoutFleet()]);
      return oneSetup(context);
    }
    context.progress.stop();
    return runFleet(flags, command, file, context.output);
  });
}

/**
 * A setup's validation problem, named where its value was written: its place in the file
 * (`setups[3].destBucket (--dest-bucket): …`), the file's `defaults`, or the flag given on the command line.
 */
const atEntry = (entry: FleetEntry, problem: InputProblem): InputProblem => {
  const key = keyOfFlag(problem.flag);
  const origin = key ? entry.origins[key] : undefined;
  if (origin === 'flag') return problem;
  if (origin === 'defaults') return { flag: `defaults.${key}`, message: `(${problem.flag}) ${problem.message}` };
  return { flag: `${entry.path}${key ? `.${key}` : ''}`, message: `${key ? `(${problem.flag}) ` : `${problem.flag}: `}${problem.message} [${entry.name}]` };
};

/** The same problem found in several setups (a bad default, a bad flag) is reported once. */
const withoutRepeats = (problems: InputProblem[]): InputProblem[] => {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.flag}\n${problem.message}`;
    return !seen.has(key) && !!seen.add(key);
  });
};

/** The setups `--only` names (every setup without it), and the problem of each name that is no setup's. */
function selected(entries: FleetEntry[], flags: Record<string, unknown>): { chosen: FleetEntry[]; problems: InputProblem[] } {
  const only = Array.isArray(flags.only) ? (flags.only as string[]) : [];
  if (only.length === 0) return { chosen: entries, problems: [] };
  return { chosen: entries.filter((entry) => only.includes(entry.name)), problems: unknownOnlyNames(entries, only) };
}

/**
 * The account of each profile the setups name, asked through the run's shared clients (so the setups' own preflights
 * do not ask again); undefined for a profile whose account could not be asked (its setups fail on their own).
 */
async function accountsOfProfiles(placed: readonly PlacedSetup[], clientOptions: ClientOptions): Promise<Map<string, string | undefined>> {
  const { createAwsClients } = await import('../aws/clients.js');
  const { accountOf } = await import('../aws/identity.js');
  const accounts = new Map<string, Promise<string | undefined>>();
  for (const { input } of placed) {
    const clients = await createAwsClients(input, clientOptions);
    for (const side of [clients.source, clients.destination]) {
      const profile = side.profile ?? '';
      if (!accounts.has(profile))
        accounts.set(
          profile,
          accountOf(side.sts).catch(() => undefined),
        );
    }
  }
  return new Map(await Promise.all([...accounts].map(async ([profile, account]) => [profile, await account] as const)));
}

type Outcome = SetupOutcome & { name: string; error?: ReplicateSetupError };

async function runFleet(flags: Record<string, unknown>, command: FleetCommand, file: FleetFile, output: Output): Promise<number> {
  const { chosen: entries, problems: onlyProblems } = selected(file.entries, flags);
  const { loadProfileCatalog } = await import('../aws/profiles.js');
  const { validateOptions } = await import('../input/validate.js');
  const profiles = await loadProfileCatalog();
  // Every problem of the whole file at once (whichever setups --only selects), before any AWS call. A key already
  // named for its type or name is left out of its entry, so the value checks' word on it (usually "is required") is
  // not repeated.
  const problems: InputProblem[] = [...(command.usageProblems?.(flags) ?? []), ...onlyProblems, ...file.problems];
  const named = new Set(file.problems.map((problem) => problem.flag));
  const placed: PlacedSetup[] = [];
  for (const entry of file.entries) {
    try {
      placed.push({ name: entry.name, path: entry.path, input: validateOptions(entry.raw, profiles) });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems.map((problem) => atEntry(entry, problem)).filter((problem) => !named.has(problem.flag)));
    }
  }
  if (problems.length === 0) problems.push(...fleetPairProblems(placed));
  if (problems.length > 0) throw new InputError(withoutRepeats(problems));
  const inputs = new Map(placed.map((setup) => [setup.name, setup.input]));

  const { createAwsClients } = await import('../aws/clients.js');
  const { mfaCodeProvider } = await import('../wizard/mfa.js');
  const { loadPromptKit } = await import('../wizard/prompt-kit.js');
  const shared = {
    providers: new Map(),
    accounts: new Map<string, AccountClients>(),
    mfaCodeProvider: mfaCodeProvider(!!process.stdin.isTTY && output.stderrIsTTY, () => loadPromptKit()),
  };
  // A bucket the setups name with different profiles must be in one account: asked before any setup starts (each
  // profile's identity, which the setups would ask anyway), so a file that could never be applied writes nothing.
  if (profilesToCompare(placed)) {
    const accounts = await accountsOfProfiles(placed, shared);
    const accountProblems = fleetAccountProblems(placed, (profile) => accounts.get(profile ?? ''));
    if (accountProblems.length > 0) throw new InputError(accountProblems);
  }
  const progress = fleetProgress(
    output,
    entries.map((e) => e.name),
  );
  const settle = async (name: string, run: () => Promise<SetupOutcome>, stepsSoFar: SetupOutcome['steps'] = []): Promise<Outcome> => {
    try {
      const outcome = await run();
      progress.finish(name, `${outcome.ok ? output.errColor.green('✓') : output.errColor.red('✗')} ${outcome.summary}`);
      return { name, ...outcome };
    } catch (error) {
      const known = isReplicateSetupError(error) ? error : new ReplicateSetupError('AWS_ERROR', (error as Error)?.message ?? String(error));
      progress.finish(name, `${output.errColor.red('✗')} ${known.message}`);
      const steps = error instanceof ApplyFailedError ? error.steps.map(stepJson) : stepsSoFar;
      // One line in the table: an apply's failure adds how many steps it did on a line of its own.
      return { name, ok: false, steps, summary: `failed: ${known.message.replace(/\s*\n\s*/g, ' ')}`, error: known };
    }
  };
  const readOnce = new Map<string, Promise<unknown>>();
  const run = async (signal?: AbortSignal): Promise<Outcome[]> => {
    const firstPart = await Promise.all(
      entries.map((entry) =>
        settle(entry.name, async () => {
          if (signal?.aborted) throw interruptedBeforeStart();
          const input = inputs.get(entry.name)!;
          const clients = await createAwsClients(input, shared);
          const setup = { name: entry.name, input, clients, events: progress.sinkFor(entry.name), sharedReads: readOnce, ...(signal ? { signal } : {}) };
          return command.runSetup(setup, flags);
        }),
      ),
    );
    const afterAllReads = new Map<string, Promise<unknown>>();
    return Promise.all(
      firstPart.map((outcome) =>
        outcome.ok && outcome.afterAll && !signal?.aborted ? settle(outcome.name, () => outcome.afterAll!(afterAllReads), outcome.steps) : outcome,
      ),
    );
  };
  // A command that writes stops on Ctrl-C as the one-setup wizard does: what is under way finishes, every lock is
  // released, the table says where each setup stands, and running it again finishes the rest.
  let interrupted = false;
  const stopping = (): void => {
    interrupted = true;
    progress.stop();
    output.progress(output.errColor.yellow('Stopping: the calls under way finish, nothing new starts, the locks are released (Ctrl-C again to quit at once).'));
  };
  const outcomes = command.writes ? await interruptible(run, stopping) : await run();
  await command.settled?.();
  progress.stop();
  const ok = outcomes.every((outcome) => outcome.ok);
  if (output.json) {
    output.emitJson({
      ok,
      command: command.name,
      setups: outcomes.map(({ name, ok, steps, json, error }) => ({
        name,
        ok,
        steps,
        ...(json ?? {}),
        ...(error ? { error: { code: error.code, message: error.message, ...(error.remedy ? { remedy: error.remedy } : {}) } } : {}),
      })),
    });
  } else {
    output.print(renderFleet(outcomes, output, command.writes === true, interrupted));
  }
  return interrupted ? interruptedExitCode() : ok ? 0 : 1;
}

const interruptedBeforeStart = (): ReplicateSetupError =>
  new ReplicateSetupError('INTERRUPTED', 'Interrupted before it started: nothing of it was written.', {
    remedy: 'Run the same command again to set it up.',
  });
