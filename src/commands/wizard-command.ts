import type { AwsClients } from '../aws/clients.js';
import { ApplyFailedError } from '../engine/apply-result.js';
import type { EventSink } from '../engine/events.js';
import { InputError } from '../errors.js';
import type { RawOptions } from '../input/options.js';
import type { SetupInput } from '../input/types.js';
import type { PreparedSetup } from '../plan/prepared.js';
import { wizardCommandFor } from '../report/command-line.js';
import { applyJson } from '../report/json-view.js';
import { countActions, renderPlan, renderSteps, summaryLine, undoCommand } from '../report/plan-view.js';
import { renderVerifyReport, verifyJson } from '../report/verify-view.js';
import type { VerifyReport } from '../verify/types.js';
import { askToApply } from '../wizard/go-ahead.js';
import { interruptible } from '../wizard/interrupt.js';
import { awsLookups, type WizardLookups } from '../wizard/lookups.js';
import { mfaCodeProvider } from '../wizard/mfa.js';
import { loadPromptKit, type PromptKit } from '../wizard/prompt-kit.js';
import { askForOptions } from '../wizard/questions.js';
import { askAfterProblem, problemsAsAnswers, withoutAnswers } from '../wizard/reask.js';
import { checkSavePath, saveConfig } from '../wizard/save-config.js';
import { inputAndClients, rawOptionsFrom } from './common.js';
import { runFleetOr } from './fleet.js';
import { fleetWizard, lockSetup } from './fleet-setups.js';
import type { CommandContext, HarnessDeps } from './harness.js';

/** What a test can replace; the CLI uses the real terminal, prompts and AWS. */
export interface WizardDeps extends HarnessDeps {
  /** Whether a person is there to answer; by default whether stdin is a terminal. */
  stdinIsTTY?: boolean;
  prompts?: PromptKit;
  lookups?: WizardLookups;
}

/**
 * `wizard` (alias `apply`): ask for what flags and --config did not give (only when a person is there), validate,
 * read, show the plan, confirm, apply, report. Nothing is written before the confirmation (or --yes).
 */
export async function runWizardCommand(flags: Record<string, unknown>, deps: WizardDeps = {}): Promise<number> {
  let releaseLocks: (() => Promise<void>) | undefined;
  let releasing: Promise<void> | undefined;
  // After the last write the locks go while verify reads; however the run ends (a refused permission check, a failed
  // step, Ctrl-C), they are gone before the process exits.
  const letGo = (): Promise<void> => {
    const release = releaseLocks;
    releaseLocks = undefined;
    releasing ??= release?.();
    return releasing ?? Promise.resolve();
  };
  const locks = { hold: (release: () => Promise<void>) => (releaseLocks = release), letGo };
  return runFleetOr(flags, deps, fleetWizard, (context) => wizardBody(flags, deps, context, locks).finally(letGo));
}

async function wizardBody(
  flags: Record<string, unknown>,
  deps: WizardDeps,
  { output, progress }: CommandContext,
  locks: { hold: (release: () => Promise<void>) => void; letGo: () => Promise<void> },
): Promise<number> {
  // vite's rule: the flag wins, else ask when stdin is a terminal; --json output is for scripts, so it never asks.
  const interactive = !flags.yes && !output.json && (deps.stdinIsTTY ?? !!process.stdin.isTTY);
  let raw = await rawOptionsFrom(flags);
  if (typeof flags.saveConfig === 'string') await checkSavePath(flags.saveConfig);
  let prompts: PromptKit | undefined;
  // One providers map for the questions' lookups and the run: credentials (and an MFA code) are resolved once.
  const clientOptions = {
    providers: new Map(),
    mfaCodeProvider: mfaCodeProvider(interactive || (!!process.stdin.isTTY && output.stderrIsTTY), async () => prompts ?? deps.prompts ?? loadPromptKit()),
  };
  let settled = new Set<keyof RawOptions>();
  let lockedFirst = false;
  let ready: { input: SetupInput; clients: AwsClients; prepared: PreparedSetup } | undefined;
  while (!ready) {
    if (interactive) {
      prompts ??= deps.prompts ?? (await loadPromptKit());
      const lookups = deps.lookups ?? (await awsLookups(raw.endpointUrl, clientOptions));
      // Questions and what they find go to stderr with the prompts: stdout carries the results.
      raw = await askForOptions(raw, { prompts, lookups, say: output.progress, color: output.errColor, settled });
    }
    try {
      const { input, clients } = await inputAndClients(raw, clientOptions);
      // The engine (and with it the AWS SDK) loads only once the input is valid: refusals stay fast.
      const { firstRead, prepareSetup } = await import('../engine/setup.js');
      // With nobody to confirm and no permission check to make first, a run that certainly writes takes its locks
      // straight after the preflight and reads everything once, under them (engine/setup.ts).
      const mayLockFirst = !prompts && (flags.skipPermissionCheck === true || !clients.isAws);
      const first = await firstRead(input, clients, progress.sink, { mayLockFirst });
      if ('lockFirst' in first) {
        locks.hold(await lockSetup(input, clients));
        lockedFirst = true;
      }
      ready = { input, clients, prepared: 'prepared' in first ? first.prepared : await prepareSetup(input, clients, progress.sink) };
    } catch (error) {
      // Without a person there, or for a failure that is not the answers' fault, the harness reports it (exit 2 or 1).
      if (!prompts || !(error instanceof InputError)) throw error;
      progress.stop();
      for (const line of problemsAsAnswers(error)) output.progress(`${output.errColor.red('✗')} ${line}`);
      const next = await askAfterProblem(error, prompts);
      if (next.kind === 'quit') return 2;
      if (next.kind === 'save') {
        await saveConfig(next.path, await savedOptions(flags, raw));
        output.progress(`Saved. Fix the file, then run: replicate-setup wizard --config ${next.path}`);
        return 2;
      }
      ({ answers: raw, settled } = withoutAnswers(raw, next.keys));
    }
  }
  ready = await offerBatchReplication(ready, raw, prompts, progress.sink);
  const { input, clients } = ready;
  let { prepared } = ready;
  const { applySetup, prepareSetup } = await import('../engine/setup.js');
  progress.stop();
  if (prompts) output.print('');
  output.print(renderPlan(prepared.plan, input, prepared.accounts, output.color));
  const counts = countActions(prepared.plan.changes.map((change) => change.action));
  const changes = counts.create + counts.update + counts.delete;
  // Saved before the go-ahead: answers a person declines to apply now can be read, changed and applied later.
  if (typeof flags.saveConfig === 'string') {
    await saveConfig(flags.saveConfig, await savedOptions(flags, raw));
    output.progress(`Answers saved to ${flags.saveConfig}: \`replicate-setup wizard --config ${flags.saveConfig} --yes\` applies them.`);
  }
  if (prompts && changes > 0 && !(await askToApply(prompts, counts.delete > 0))) {
    output.print('Nothing was written.');
    return 0;
  }
  // Before the first write: would IAM let each profile make every call of the plan? Stops with all that is missing.
  const permissionNotes = flags.skipPermissionCheck === true || changes === 0 ? [] : await permissionCheckNotes(prepared, clients);
  for (const note of permissionNotes) output.progress(output.errColor.yellow(`Note: ${note}`));

  const stopping = (): void => {
    progress.stop();
    output.progress(output.errColor.yellow('Stopping: the calls under way finish, nothing new starts (Ctrl-C again to quit at once).'));
  };
  if (changes > 0 && !lockedFirst) {
    // Only a run that writes takes the locks (engine/document-lock.ts), and it reads again under them: another run's
    // parts written since the first read are then kept. A run with nothing to change writes nothing, not even a lock.
    locks.hold(await lockSetup(input, clients));
    prepared = await prepareSetup(input, clients, progress.sink);
  }
  const steps = await interruptible((signal) => applySetup(prepared, clients, progress.sink, { signal }), stopping).catch(async (error: unknown) => {
    // Answers typed at the questions are in no command line: "run the same command again" needs them as flags.
    if (prompts && error instanceof ApplyFailedError) {
      output.progress('The same setup, without the questions:');
      output.printWhole(wizardCommandFor(await savedOptions(flags, raw)));
    }
    throw error;
  });
  void locks.letGo();
  progress.stop();
  // The wizard ends with the proof: the same checks as `verify`, read afresh from both accounts.
  const verification = flags.verify === false ? undefined : await verifyAfterApply(input, clients, progress.sink);
  progress.stop();
  if (output.json) {
    output.emitJson({
      ...applyJson(steps, prepared.plan, prepared.accounts),
      ...(permissionNotes.length > 0 ? { permissionCheck: permissionNotes } : {}),
      ...(verification ? { ok: verification.ok, verification: verifyJson(verification) } : {}),
    });
  } else {
    // A person at the terminal just watched each step tick off; a log or a pipe gets the list.
    const done = renderSteps(steps, output.color);
    if (done && !(prompts && output.stderrIsTTY)) output.print(done);
    // With nothing to change, the plan above has already said so once.
    if (changes > 0) output.print(summaryLine(countActions(steps.map((s) => s.action)), 'apply', output.color));
    if (verification) output.print(`\n${renderVerifyReport(verification, output.color)}`);
    const job = await startedJob(prepared, steps, input, clients);
    if (job) output.print(`\n${job}`);
    output.print(output.color.dim('To undo this setup:'));
    output.printWhole(undoCommand(input));
  }
  return verification && !verification.ok ? 1 : 0;
}

/** Asks, at a terminal, whether to copy the objects the preflight found with Batch Replication; yes plans again with it. */
async function offerBatchReplication(
  ready: { input: SetupInput; clients: AwsClients; prepared: PreparedSetup },
  raw: RawOptions,
  prompts: PromptKit | undefined,
  events: EventSink,
): Promise<{ input: SetupInput; clients: AwsClients; prepared: PreparedSetup }> {
  const existing = ready.prepared.live.batch?.existing;
  if (!prompts || !existing || existing.count === 0 || raw.replicateExisting !== undefined) return ready;
  const { askReplicateExisting } = await import('../wizard/go-ahead.js');
  const { objectCount } = await import('../plan/batch-steps.js');
  raw.replicateExisting = await askReplicateExisting(prompts, ready.input.source.bucket, objectCount(existing));
  if (!raw.replicateExisting) return ready;
  const input: SetupInput = { ...ready.input, replicateExisting: true };
  const { prepareSetup } = await import('../engine/setup.js');
  return { input, clients: ready.clients, prepared: await prepareSetup(input, ready.clients, events) };
}

/** The wizard ends by showing the Batch Replication job it started (or found), as `jobs` shows it. */
async function startedJob(prepared: PreparedSetup, steps: { id: string }[], input: SetupInput, clients: AwsClients): Promise<string | undefined> {
  if (!prepared.plan.changes.some((change) => change.kind === 'batch-job') || !steps.some((step) => step.id === 'batch-job')) return undefined;
  const { readJobs } = await import('../engine/jobs.js');
  const { renderJobs } = await import('../report/jobs-view.js');
  const { Chalk } = await import('chalk');
  const report = await readJobs(input, clients);
  return `${renderJobs({ ...report, jobs: report.jobs.slice(0, 1) }, new Chalk({ level: 0 }))}\nWatch it with: replicate-setup jobs <the same flags> --wait`;
}

async function permissionCheckNotes(prepared: PreparedSetup, clients: AwsClients): Promise<string[]> {
  const { checkPermissions } = await import('../engine/permission-check.js');
  return (await checkPermissions(prepared, clients)).flatMap((check) => check.notes);
}

/**
 * The closing check reads straight after the writes. IAM and S3 settings are eventually consistent on AWS, so a
 * failure there is given one second look a few seconds later before it is reported.
 */
async function verifyAfterApply(input: SetupInput, clients: AwsClients, events: EventSink): Promise<VerifyReport> {
  const { runVerification } = await import('../verify/index.js');
  const options = { expectDenied: [], probes: [] };
  const first = await runVerification(input, clients, options, events);
  if (first.ok || !clients.isAws) return first;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return runVerification(input, clients, options, events);
}

const SETTLE_MS = 5_000;

/** The answers as --config reads them. The endpoint is kept only as flags or --config gave it, not from the environment. */
async function savedOptions(flags: Record<string, unknown>, answers: RawOptions): Promise<RawOptions> {
  const { endpointUrl: _fromAnywhere, ...rest } = answers;
  const { endpointUrl } = await rawOptionsFrom(flags, {});
  return endpointUrl === undefined ? rest : { ...rest, endpointUrl };
}
