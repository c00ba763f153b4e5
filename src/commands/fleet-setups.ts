import { Chalk } from 'chalk';
import type { AwsClients } from '../aws/clients.js';
import type { FirstRead } from '../engine/setup.js';
import { ReplicateSetupError } from '../errors.js';
import { credentialSource } from '../input/credentials.js';
import { problemAt } from '../input/options.js';
import type { Accounts, SetupInput } from '../input/types.js';
import type { Change } from '../plan/changes.js';
import { stepJson } from '../report/json-view.js';
import { countActions, renderChange } from '../report/plan-view.js';
import { failedChecksLine, verifyJson, verifyProblemLines } from '../report/verify-view.js';
import { exitCodeOf } from '../wizard/interrupt.js';
import type { FleetCommand, FleetSetup, SetupOutcome } from './fleet.js';

/** Each command's part of a fleet run (commands/fleet.ts runs them): one setup, start to end, as the command does it. */

const plain = new Chalk({ level: 0 });

/** Releases of the locks this process holds now, for a signal that arrives while no step is running. */
const held = new Set<() => Promise<void>>();

/**
 * Ctrl-C (or a CI job's SIGTERM) while this process holds locks and no run is applying steps (taking the locks,
 * reading under them): the locks are released before the process ends, so the next run need not wait for them or
 * break them. While steps run, `interruptible` (wizard/interrupt.ts) has its own handler, stops gracefully and releases
 * them itself; this one then stands aside.
 */
function releaseOnSignal(signal: 'SIGINT' | 'SIGTERM'): void {
  if (process.listenerCount(signal) > 1) return;
  process.stderr.write('\nInterrupted: releasing the locks this run holds; nothing more is written. Run the same command again to finish.\n');
  const released = Promise.allSettled([...held].map((release) => release()));
  const giveUp = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
  void Promise.race([released, giveUp]).finally(() => process.exit(exitCodeOf(signal)));
}

// Each listener names its own signal: `process.emit('SIGINT')` (as a test sends Ctrl-C) passes no name.
const onSigint = (): void => releaseOnSignal('SIGINT');
const onSigterm = (): void => releaseOnSignal('SIGTERM');

function holding(release: () => Promise<void>): () => Promise<void> {
  if (held.size === 0) process.on('SIGINT', onSigint).on('SIGTERM', onSigterm);
  const once = async (): Promise<void> => {
    if (!held.delete(once)) return;
    if (held.size === 0) process.off('SIGINT', onSigint).off('SIGTERM', onSigterm);
    await release();
  };
  held.add(once);
  return once;
}

/** Holds both buckets' locks for a run that writes (engine/document-lock.ts). */
export async function lockSetup(input: SetupInput, clients: AwsClients, purpose = 'wizard', signal?: AbortSignal): Promise<() => Promise<void>> {
  const { takeBucketLocks } = await import('../engine/document-lock.js');
  // Who each profile is, first: a profile without credentials is reported as the input's fault (exit 2), as the read
  // would report it. The answer is kept per client, so the read that follows does not ask again.
  // Both at once (one round trip): when the identity fails, its error is the one to report and the locks go.
  const { identities } = await import('../engine/preflight.js');
  const [identity, locks] = await Promise.allSettled([
    identities(clients),
    takeBucketLocks(input, clients, { purpose: `${purpose} ${input.source.bucket} → ${input.destination.bucket}`, ...(signal ? { signal } : {}) }),
  ]);
  if (identity.status === 'rejected') {
    if (locks.status === 'fulfilled') await locks.value();
    throw identity.reason;
  }
  if (locks.status === 'rejected') throw locks.reason;
  return holding(locks.value);
}

/** Releases under way; the fleet runner waits for them before it reports (see `releasesDone`). */
const releasing = new Set<Promise<void>>();

/** Runs `body` holding the locks; they are released without waiting, so what follows (verify) need not wait either. */
async function whileLocked<T>(input: SetupInput, clients: AwsClients, purpose: string, body: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const release = await lockSetup(input, clients, purpose, signal);
  try {
    return await body();
  } finally {
    const done = release().finally(() => releasing.delete(done));
    releasing.add(done);
  }
}

/**
 * Reads and plans; only when the plan writes something does it take the locks and read again under them (another run's
 * parts written since are kept). A setup with nothing to change writes nothing, not even a lock. A first read that
 * already knows the run writes (engine/setup.ts `firstRead`) takes the locks at once and reads only under them.
 */
async function lockedIfWriting<P extends { plan: { changes: readonly Change[] } }, T>(
  input: SetupInput,
  clients: AwsClients,
  purpose: string,
  { first, prepare }: { first: () => Promise<FirstRead<P>>; prepare: () => Promise<P> },
  apply: (prepared: P) => Promise<T>,
  signal?: AbortSignal,
): Promise<{ prepared: P; result: T }> {
  const read = await first();
  if ('prepared' in read && read.prepared.plan.changes.every((change) => change.action === 'no-op')) {
    return { prepared: read.prepared, result: await apply(read.prepared) };
  }
  return whileLocked(
    input,
    clients,
    purpose,
    async () => {
      const prepared = await prepare();
      return { prepared, result: await apply(prepared) };
    },
    signal,
  );
}

/** Every lock released: the process must not exit with a lock still held. */
export const releasesDone = async (): Promise<void> => {
  await Promise.all([...releasing]);
};

/** The plan's changes under the account each concerns, so one plan for all reads account by account. */
function byAccount(changes: readonly Change[], { input, accounts }: { input: SetupInput; accounts: Accounts }, all = false): SetupOutcome['byAccount'] {
  return (['source', 'destination'] as const).map((side) => ({
    account: `Account ${accounts[side]} (${credentialSource(input[side].profile)}, ${input[side].region})`,
    lines: changes
      .filter((change) => change.side === side && (all || change.action !== 'no-op'))
      // The whole change names what is shared: the same role created with the same trust, the same destination
      // bucket's settings. A setup's own part differs in its name or document even where the line reads the same.
      .map((change) => ({ text: renderChange(change, plain), key: JSON.stringify(change) })),
  }));
}

const counted = (actions: Parameters<typeof countActions>[0], done: boolean): string => {
  const n = countActions(actions);
  // As the one-setup commands say it: a re-run that changes nothing says so, not a row of zeros.
  if (n.create + n.update + n.delete === 0) return `nothing to change (${n['no-op']} unchanged)`;
  return done
    ? `${n.create} created, ${n.update} updated, ${n.delete} deleted, ${n['no-op']} unchanged`
    : `${n.create} to create, ${n.update} to update, ${n.delete} to delete, ${n['no-op']} unchanged`;
};

export const fleetPlan: FleetCommand = {
  name: 'plan',
  async runSetup({ input, clients, events }: FleetSetup) {
    const { prepareSetup } = await import('../engine/setup.js');
    const prepared = await prepareSetup(input, clients, events);
    const changes = prepared.plan.changes;
    return {
      ok: true,
      steps: changes.map((change) => ({ id: change.id, title: change.title, action: change.action, resource: change.resource })),
      summary: counted(
        changes.map((c) => c.action),
        false,
      ),
      byAccount: byAccount(changes, prepared),
      json: { accounts: prepared.accounts, notes: prepared.plan.notes },
    };
  },
};

export const fleetWizard: FleetCommand = {
  name: 'wizard',
  writes: true,
  settled: releasesDone,
  usageProblems: (flags) =>
    !flags.yes && !flags.json && process.stdin.isTTY
      ? [problemAt('yes', 'is required to apply a fleet file at a terminal (run `replicate-setup plan --config FILE` to review it first)')]
      : [],
  async runSetup({ input, clients, events, signal }: FleetSetup, flags) {
    const { applySetup, firstRead, prepareSetup } = await import('../engine/setup.js');
    const { prepared, result: steps } = await lockedIfWriting(
      input,
      clients,
      'wizard',
      // A fleet runs no permission check (that is the single wizard's, on AWS): its first read may stop at the preflight.
      { first: () => firstRead(input, clients, events, { mayLockFirst: true }), prepare: () => prepareSetup(input, clients, events) },
      (ready) => applySetup(ready, clients, events, signal ? { signal } : {}),
      signal,
    );
    const applied = counted(
      steps.map((s) => s.action),
      true,
    );
    const done = { ok: true, steps: steps.map(stepJson), summary: applied, json: { accounts: prepared.accounts } };
    if (flags.verify === false) return done;
    // The proof comes once every setup has written: reads of what setups share (the role's policies) are made once.
    return {
      ...done,
      afterAll: async (sharedReads) => {
        const { runVerification } = await import('../verify/index.js');
        const report = await runVerification(input, clients, { expectDenied: [], probes: [], sharedReads }, events);
        return {
          ...done,
          ok: report.ok,
          summary: `${applied}; ${report.ok ? 'verified' : `verify: ${failedChecksLine(report)}`}`,
          json: { accounts: prepared.accounts, verification: verifyJson(report) },
          details: (c) => verifyProblemLines(report, c),
        };
      },
    };
  },
};

export const fleetVerify: FleetCommand = {
  name: 'verify',
  async runSetup({ input, clients, events, sharedReads }: FleetSetup) {
    const { runVerification } = await import('../verify/index.js');
    const report = await runVerification(input, clients, { expectDenied: [], probes: [], sharedReads }, events);
    const json = verifyJson(report);
    return {
      ok: report.ok,
      steps: [],
      summary: report.ok ? 'every check passed' : failedChecksLine(report),
      json: { verification: json },
      details: (c) => verifyProblemLines(report, c),
    };
  },
};

export const fleetTeardown: FleetCommand = {
  name: 'teardown',
  writes: true,
  settled: releasesDone,
  usageProblems: (flags) => (flags.yes ? [] : [problemAt('yes', 'is required to tear down a fleet file: nobody is asked about each setup')]),
  async runSetup({ input, clients, events, signal }: FleetSetup, flags) {
    const { applyTeardown, prepareTeardown } = await import('../engine/teardown.js');
    const options = { deleteBuckets: !!flags.deleteBuckets, deleteObjects: !!flags.deleteObjects, deleteKeys: !!flags.deleteKeys };
    const prepareRefusing = async () => {
      const prepared = await prepareTeardown(input, clients, options, events);
      if (prepared.plan.refusals.length > 0) {
        throw new ReplicateSetupError('NOT_EMPTY', `Nothing was removed: ${prepared.plan.refusals.join('; ')}.`, {
          remedy: 'Add --delete-objects to delete every object version and delete marker first (this cannot be undone), or empty the buckets yourself.',
        });
      }
      return prepared;
    };
    const { prepared, result: steps } = await lockedIfWriting(
      input,
      clients,
      'teardown',
      { first: async () => ({ prepared: await prepareRefusing() }), prepare: prepareRefusing },
      (ready) => applyTeardown(ready, clients, events, signal ? { signal } : {}),
      signal,
    );
    // As the one-setup teardown says it: a second teardown has nothing left, and says so rather than counting zeros.
    const removedNothing = steps.every((step) => step.action === 'no-op');
    return {
      ok: true,
      steps: steps.map(stepJson),
      summary: removedNothing
        ? 'nothing to remove: this setup owns nothing here any more'
        : counted(
            steps.map((s) => s.action),
            true,
          ),
      byAccount: byAccount(prepared.plan.changes, prepared),
    };
  },
};
