// The setup engine against moto: runs it as the CLI does with the emulator's profile files, recording every call,
// plus the documents and ARNs the engine tests compare with. Used by test/engine-*.test.ts.
import { CreateBucketCommand, GetBucketPolicyCommand, PutBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterEach, vi } from 'vitest';
import { inputAndClients } from '../../src/commands/common.js';
import type { StepResult } from '../../src/engine/apply.js';
import type { EngineEvent } from '../../src/engine/events.js';
import type { RetryPolicy } from '../../src/engine/retry.js';
import { applySetup, type PreparedSetup, prepareSetup } from '../../src/engine/setup.js';
import { InputError } from '../../src/errors.js';
import type { RawOptions } from '../../src/input/options.js';
import type { SetupInput } from '../../src/input/types.js';
import { parsePolicy } from '../../src/plan/compare.js';
import { type DocumentContext, REPLICATION_TRUST_POLICY } from '../../src/plan/documents.js';
import { setupNames } from '../../src/plan/names.js';
import type { PolicyDocument, PolicyStatement } from '../../src/plan/policy-types.js';
import { type Emulator, useEmulator } from './emulator.js';
import { SEED_RAW } from './fixtures.js';
import { recordCalls, type SentCall } from './record.js';

export const DEST_ARN = 'arn:aws:s3:::clint-s3-bucket';
export const ROLE_ARN = 'arn:aws:iam::111111111111:role/s3_replication_role';

// moto raises no IAM propagation errors; should one appear, do not sleep through it.
const NO_WAIT: RetryPolicy = { attempts: 3, firstDelayMs: 0, maxDelayMs: 0, sleep: async () => undefined };

export interface Run {
  input: SetupInput;
  prepared: PreparedSetup;
  steps: StepResult[];
  calls: SentCall[];
  events: EngineEvent[];
}

type Clients = Awaited<ReturnType<typeof inputAndClients>>['clients'];

export interface EngineEmulator {
  emu: Emulator;
  /** Validates, reads, plans and applies as the CLI does, with the emulator's profile files, recording every call. */
  prepare(raw: RawOptions): Promise<{ input: SetupInput; prepared: PreparedSetup; calls: SentCall[]; events: EngineEvent[]; clients: Clients }>;
  run(raw?: RawOptions): Promise<Run>;
  /** The preflight's InputError: reading found the input wrong, so nothing may have been written. */
  refused(raw: RawOptions): Promise<{ error: InputError; calls: SentCall[] }>;
}

/** This file's moto server (see useEmulator) and the engine run against it. */
export function useEngineEmulator(): EngineEmulator {
  const emu = useEmulator();

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  async function prepare(raw: RawOptions): Promise<{ input: SetupInput; prepared: PreparedSetup; calls: SentCall[]; events: EngineEvent[]; clients: Clients }> {
    for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
    const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
    const calls = recordCalls(clients);
    const events: EngineEvent[] = [];
    const prepared = await prepareSetup(input, clients, (event) => events.push(event));
    return { input, prepared, calls, events, clients };
  }

  async function run(raw: RawOptions = SEED_RAW): Promise<Run> {
    const { input, prepared, calls, events, clients } = await prepare(raw);
    const steps = await applySetup(prepared, clients, (event) => events.push(event), { retry: NO_WAIT });
    return { input, prepared, steps, calls, events };
  }

  async function refused(raw: RawOptions): Promise<{ error: InputError; calls: SentCall[] }> {
    for (const [name, value] of Object.entries(emu.env)) vi.stubEnv(name, value);
    const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
    const calls = recordCalls(clients);
    try {
      await prepareSetup(input, clients, () => undefined);
    } catch (error) {
      if (error instanceof InputError) return { error, calls };
      throw error;
    }
    throw new Error('expected the preflight to refuse the input');
  }

  return { emu, prepare, run, refused };
}

export const sentReplication = (calls: SentCall[]): Record<string, unknown>[] =>
  calls.filter((c) => c.command === 'PutBucketReplication').map((c) => c.input.ReplicationConfiguration as Record<string, unknown>);

export const ctxOf = (r: Pick<Run, 'input' | 'prepared'>): DocumentContext => ({
  input: r.input,
  accounts: r.prepared.accounts,
  names: setupNames(r.input, r.prepared.accounts),
  replicationRoleArn: r.prepared.live.role.arn,
});

export async function bucketPolicy(s3: S3Client, bucket: string): Promise<PolicyDocument | undefined> {
  return parsePolicy((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy);
}

export const statementsBySid = (doc: PolicyDocument | undefined): Record<string, PolicyStatement> =>
  Object.fromEntries((doc?.Statement ?? []).map((s) => [s.Sid ?? '(none)', s]));

export const userStatement = (bucket: string): PolicyStatement => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

export async function createVersionedBucket(s3: S3Client, bucket: string, region: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region as 'ap-southeast-1' } }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}

export const S3_TRUST = JSON.stringify(REPLICATION_TRUST_POLICY);
