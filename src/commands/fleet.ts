import type { ChalkInstance } from 'chalk';
import type { AccountClients, AwsClients, ClientOptions } from '../aws/clients.js';
import { ApplyFailedError } from '../engine/apply-result.js';
import type { EventSink } from '../engine/events.js';
import { InputError, type InputProblem, isReplicateSetupError, ReplicateSetupError } from '../errors.js';
import { fleetAccountProblems, fleetPairProblems, type PlacedSetup, profilesToCompare } from '../input/fleet-consistency.js';
import type { FleetEntry, FleetFile } from '../input/fleet-file.js';
import { flagOf, OPTION_TABLE, type OptionKey, problemAt } from '../input/options.js';
import type { SetupInput } from '../input/types.js';
import { fleetProgress } from '../report/fleet-progress.js';
import { stepJson } from '../report/json-view.js';
import type { Output } from '../report/output.js';
import { interruptedExitCode, interruptible } from '../wizard/interrupt.js';
import { loadConfigFile } from './common.js';
import { type CommandContext, type HarnessDeps, runCommand } from './harness.js';

/** What one setup of a fleet came to: whether it succeeded, its steps as JSON, and what a person reads of it. */
export interface SetupOutcome {
  ok: boolean;
  steps: Record<string, unknown>[];
  /** One line for the summary table (`3 created, 12 unchanged`). */
  summary: string;
  /** Lines about this setup, grouped under the account they concern (the plan's changes by side); `key` is the change. */
  byAccount?: { account: string; lines: { text: string; key: string }[] }[];
  /** Anything else the command reports for the setup (a verify report), as JSON. */
  json?: Record<string, unknown>;
  /** What a person needs beyond the summary line (the checks that failed or warned, with what to do), under the table. */
  details?: (c: ChalkInstance) => string[];
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
      if (Array.isArray(flags.only) && flags.only.length > 0) throw new InputError([problemAt('only', 'selects setups of a fleet --config file')]);
      return oneSetup(context);
    }
    context.progress.stop();
    return runFleet(flags, command, file, context.output);
  });
}

const KEY_OF_FLAG = new Map(Object.keys(OPTION_TABLE).map((key) => [flagOf(key as OptionKey), key]));

/**
 * A setup's validation problem, named where its value was written: its place in the file
 * (`setups[3].destBucket (--dest-bucket): …`), the file's `defaults`, or the flag given on the command line.
 */
const atEntry = (entry: FleetEntry, problem: InputProblem): InputProblem => {
  const key = KEY_OF_FLAG.get(problem.flag);
  const origin = key ? entry.origins[key] : undefined;
  if (origin === 'flag') return problem;
  if (origin === 'defaults') return { flag: `defaults.${key}`, message: `(${problem.flag}) ${problem.message}` };
  return { flag: `${entry.path}${key ? `.${key}` : ''}`, message: `${key ? `(${problem.flag}) ` : `${problem.flag}: `}${problem.message} [${entry.name}]` };
};

/** The same problem found in several setups (a bad default, a bad flag) is reported once. */
const once = (problems: InputProblem[]): InputProblem[] => {
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
  const unknown = only.filter((name) => !entries.some((entry) => entry.name === name));
  return {
    chosen: entries.filter((entry) => only.includes(entry.name)),
    problems: unknown.map((name) => problemAt('only', `no setup is named "${name}" (setups: ${entries.map((e) => e.name).join(', ')})`)),
  };
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
  if (problems.length > 0) throw new InputError(once(problems));
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

/**
 * One account's part: what several setups share (one replication role, one destination bucket's settings: the same
 * line in each setup's plan) once, under the setups that share it, then each setup's own part (its rule, its
 * statements, its inline policies).
 */
function accountLines(outcomes: Outcome[], account: string, output: Output): string[] {
  const c = output.color;
  const linesOf = new Map(outcomes.map((o) => [o.name, (o.byAccount ?? []).filter((a) => a.account === account).flatMap((a) => a.lines)]));
  const setupsOf = new Map<string, string[]>();
  for (const [name, lines] of linesOf) for (const key of new Set(lines.map((line) => line.key))) setupsOf.set(key, [...(setupsOf.get(key) ?? []), name]);
  const isShared = (key: string): boolean => (setupsOf.get(key)?.length ?? 0) > 1;
  // Grouped by the exact set of setups sharing them (a heading shortens long lists, so it cannot be the key).
  const groups = new Map<string, { names: string[]; texts: string[] }>();
  for (const lines of linesOf.values()) {
    for (const { text, key } of lines.filter((line) => isShared(line.key))) {
      const names = setupsOf.get(key)!;
      const group = groups.get(JSON.stringify(names)) ?? { names, texts: [] };
      if (!group.texts.includes(text)) group.texts.push(text);
      groups.set(JSON.stringify(names), group);
    }
  }
  const out: string[] = [];
  for (const { names, texts } of groups.values()) {
    out.push(`  ${c.bold(`shared by ${names.length} setups (${namesList(names)})`)}`, ...texts.map((text) => `    ${text}`));
  }
  for (const [name, lines] of linesOf) {
    const own = lines.filter((line) => !isShared(line.key));
    if (own.length > 0) out.push(`  ${c.bold(name)}`, ...own.map((line) => `    ${line.text}`));
  }
  return out;
}

/** What each setup did, grouped by account, then one summary line per setup and what to do about failures. */
function renderFleet(outcomes: Outcome[], output: Output, writes: boolean, interrupted: boolean): string {
  const c = output.color;
  const lines: string[] = [];
  const accounts = [...new Set(outcomes.flatMap((o) => (o.byAccount ?? []).map((a) => a.account)))];
  for (const account of accounts) {
    const part = accountLines(outcomes, account, output);
    lines.push(c.bold(account), ...(part.length > 0 ? part : [`  ${c.dim('no changes')}`]), '');
  }
  const width = Math.max(5, ...outcomes.map((o) => o.name.length));
  lines.push(c.bold(`${'setup'.padEnd(width)}  result`));
  for (const outcome of outcomes) lines.push(`${outcome.name.padEnd(width)}  ${outcome.ok ? c.green('ok') : c.red('FAILED')}  ${outcome.summary}`);
  const detailed = outcomes.flatMap(({ name, details }) => {
    const detailLines = details?.(c) ?? [];
    return detailLines.length > 0 ? ['', c.bold(`${name}:`), ...detailLines.map((line) => `  ${line}`)] : [];
  });
  if (detailed.length > 0) lines.push(...detailed, '');
  const failed = outcomes.filter((o) => !o.ok);
  // Each remedy once, after the setups it concerns: twenty setups stopped by one Ctrl-C share one.
  const byRemedy = new Map<string, string[]>();
  for (const { name, error } of failed) if (error?.remedy) byRemedy.set(error.remedy, [...(byRemedy.get(error.remedy) ?? []), name]);
  for (const [remedy, names] of byRemedy) lines.push(`${c.bold(`${namesList(names)}:`)} ${remedy}`);
  const verdict = interrupted ? interruptedVerdict(failed.length, outcomes.length) : fleetVerdict(failed.length, outcomes.length, writes);
  lines.push(failed.length === 0 ? c.green(verdict) : c.red(verdict));
  return lines.join('\n');
}

/** `a, b, c and 4 more`: a heading or a remedy names a few setups and counts the rest. */
const namesList = (names: readonly string[]): string => (names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`);

/** The summary's last line after Ctrl-C or SIGTERM: what finished, and that a re-run finishes the rest. */
export function interruptedVerdict(unfinished: number, count: number): string {
  const finished = count - unfinished;
  return `Interrupted: ${unfinished} of ${count} setup${count === 1 ? '' : 's'} not finished${finished > 0 ? `, ${finished} done` : ''}. Run the same command again to finish what is left.`;
}

/**
 * The summary's last line. Only a writing command finishes what is left when run again; a read reports, and each
 * failed setup's remedy above says what to do.
 */
export function fleetVerdict(failed: number, count: number, writes: boolean): string {
  const setups = (n: number): string => `${n} setup${n === 1 ? '' : 's'}`;
  if (failed === 0) return count === 1 ? 'The setup is ok.' : `All ${setups(count)} ok.`;
  const others = failed === count ? '' : `; the other${count - failed === 1 ? ' is' : 's are'} ${writes ? 'done' : 'ok'}`;
  // Not every failure goes away by itself (a bucket name another account holds): what to do comes first.
  return `${failed} of ${setups(count)} failed${others}.${writes ? ' Do what is said above for each, then run the same command again: it finishes only what is left.' : ''}`;
}
