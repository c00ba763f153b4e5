// Runs the walkthrough's scenarios the way the CLI does (flags → validate → read → plan → apply) against the emulator,
// recording what was sent: the truth where moto's read-back is lossy or where it enforces nothing (policies, grants).
import { vi } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import { inputAndClients } from '../../src/commands/common.js';
import type { StepResult } from '../../src/engine/apply.js';
import type { RetryPolicy } from '../../src/engine/retry.js';
import { applySetup, type PreparedSetup, prepareSetup } from '../../src/engine/setup.js';
import { InputError } from '../../src/errors.js';
import type { RawOptions } from '../../src/input/options.js';
import { pendingChanges } from '../../src/plan/changes.js';
import { parsePolicy } from '../../src/plan/compare.js';
import type { PolicyDocument, PolicyStatement } from '../../src/plan/policy-types.js';
import type { ReplicationRule } from '../../src/plan/replication-rules.js';
import type { Emulator } from './emulator.js';
import { isWrite, recordCalls, type SentCall } from './record.js';

/** The walkthrough's two accounts: partner (xyz, Singapore) replicates to company (abcd, Sydney). */
export const crossAccount = (sourceBucket: string, destBucket: string, extra: RawOptions = {}): RawOptions => ({
  sourceProfile: 'xyz',
  sourceBucket,
  destProfile: 'abcd',
  destBucket,
  roleName: 's3_replication_role',
  ...extra,
});

// moto raises no IAM propagation errors; should one appear, do not sleep through it.
const NO_WAIT: RetryPolicy = { attempts: 3, firstDelayMs: 0, maxDelayMs: 0, sleep: async () => undefined };

export interface Prepared {
  prepared: PreparedSetup;
  clients: AwsClients;
  calls: SentCall[];
}

export interface Applied extends Prepared {
  steps: StepResult[];
  /** Every write sent, in order. */
  writes: SentCall[];
}

export async function prepare(emu: Emulator, raw: RawOptions): Promise<Prepared> {
  for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
  const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
  const calls = recordCalls(clients);
  return { prepared: await prepareSetup(input, clients, () => undefined), clients, calls };
}

export async function apply(emu: Emulator, raw: RawOptions): Promise<Applied> {
  const run = await prepare(emu, raw);
  const steps = await applySetup(run.prepared, run.clients, () => undefined, { retry: NO_WAIT });
  return { ...run, steps, writes: run.calls.filter(isWrite) };
}

/** A second run of the same flags: what it would change (nothing, when the setup is idempotent). */
export async function pendingOnRerun(emu: Emulator, raw: RawOptions): Promise<string[]> {
  const { prepared } = await prepare(emu, raw);
  return pendingChanges(prepared.plan).map((change) => `${change.id}: ${change.action}`);
}

/** The preflight's InputError, and proof that nothing was written before it. */
export async function refused(emu: Emulator, raw: RawOptions): Promise<{ error: InputError; writes: SentCall[] }> {
  for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
  let calls: SentCall[] = [];
  try {
    const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
    calls = recordCalls(clients);
    await prepareSetup(input, clients, () => undefined);
  } catch (error) {
    if (error instanceof InputError) return { error, writes: calls.filter(isWrite) };
    throw error;
  }
  throw new Error('expected the input to be refused');
}

/** The inputs of every sent command of that name (optionally on one side). */
export const sent = (calls: SentCall[], command: string, side?: 'source' | 'destination'): Record<string, unknown>[] =>
  calls.filter((c) => c.command === command && (side === undefined || c.side === side)).map((c) => c.input);

/** The one document sent under `field` (Policy, PolicyDocument) by the one command of that name on that side. */
export function sentPolicy(calls: SentCall[], command: string, side: 'source' | 'destination', field = 'Policy'): PolicyDocument {
  const inputs = sent(calls, command, side);
  if (inputs.length !== 1) throw new Error(`expected one ${command} on the ${side} side, got ${inputs.length}`);
  return parsePolicy(inputs[0]![field] as string)!;
}

export const bySid = (doc: PolicyDocument | undefined): Record<string, PolicyStatement> =>
  Object.fromEntries((doc?.Statement ?? []).map((s) => [s.Sid ?? '(none)', s]));

/** The replication rules as sent (moto's read-back drops Filter, DeleteMarkerReplication and SourceSelectionCriteria). */
export const sentRules = (calls: SentCall[]): ReplicationRule[] => {
  const configs = sent(calls, 'PutBucketReplication', 'source');
  if (configs.length !== 1) throw new Error(`expected one PutBucketReplication, got ${configs.length}`);
  return (configs[0]!.ReplicationConfiguration as { Rules: ReplicationRule[] }).Rules;
};
