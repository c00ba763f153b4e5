// verify against moto: the real setup as wizard does it, then runVerification with every call recorded. Used by
// test/verify-emulator.test.ts and test/verify-command.test.ts.
import { afterEach, vi } from 'vitest';
import { inputAndClients } from '../../src/commands/common.js';
import type { RetryPolicy } from '../../src/engine/retry.js';
import { applySetup, prepareSetup } from '../../src/engine/setup.js';
import type { RawOptions } from '../../src/input/options.js';
import { type Check, runVerification, type VerifyOptions, type VerifyReport } from '../../src/verify/index.js';
import { type Emulator, uniqueBucketName, useEmulator } from './emulator.js';
import { isWrite, recordCalls } from './record.js';

const NO_WAIT: RetryPolicy = { attempts: 3, firstDelayMs: 0, maxDelayMs: 0, sleep: async () => undefined };
export const CLINT = 'arn:aws:iam::222222222222:user/clint-eastwood';

export function seed(): RawOptions {
  return {
    sourceProfile: 'xyz',
    sourceBucket: uniqueBucketName('rubes-s3-bucket'),
    destProfile: 'abcd',
    destBucket: uniqueBucketName('clint-s3-bucket'),
    roleName: 's3_replication_role',
    authorizedUser: ['tom-cruise'],
  };
}

export const useProfiles = (env: Record<string, string>): void => {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
};

export interface VerifyEmulator {
  emu: Emulator;
  /** The real setup, as wizard does it. */
  setUp(raw: RawOptions): Promise<void>;
  verify(raw: RawOptions, options?: Partial<VerifyOptions>): Promise<VerifyReport & { writes: string[] }>;
}

/** This file's moto server (see useEmulator), with setup and verification run against it. */
export function useVerifyEmulator(): VerifyEmulator {
  const emu = useEmulator();

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  async function setUp(raw: RawOptions): Promise<void> {
    useProfiles(emu.env);
    const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
    await applySetup(await prepareSetup(input, clients, () => undefined), clients, () => undefined, { retry: NO_WAIT });
  }

  async function verify(raw: RawOptions, options: Partial<VerifyOptions> = {}): Promise<VerifyReport & { writes: string[] }> {
    const { input, clients } = await inputAndClients({ ...raw, endpointUrl: emu.endpoint });
    const calls = recordCalls(clients);
    const report = await runVerification(input, clients, { expectDenied: ['clint-eastwood'], probes: [], ...options }, () => undefined);
    return { ...report, writes: calls.filter(isWrite).map((c) => c.command) };
  }

  return { emu, setUp, verify };
}

export const check = (report: VerifyReport, id: string): Check => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
};

export const failed = (report: VerifyReport): string[] => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
