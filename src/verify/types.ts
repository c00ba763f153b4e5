import type { AwsClients } from '../aws/clients.js';
import type { DocumentContext } from '../plan/documents.js';
import type { PreparedSetup } from '../plan/prepared.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One verdict: what was checked, how it came out, and (for fail/warn) what the user can do about it. */
export interface Check {
  id: string;
  status: CheckStatus;
  message: string;
  remedy?: string;
}

export interface VerifyReport {
  ok: boolean;
  checks: Check[];
  source: { bucket: string; region: string; account?: string };
  destination: { bucket: string; region: string; account?: string };
}

/** `--probe-profile NAME=PROFILE`: list and read the source bucket as NAME, with that profile's credentials. */
export interface Probe {
  name: string;
  profile: string;
}

/** Time, injectable so the canary's poll loop can be tested without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface VerifyOptions {
  /** Principals (destination-account user names or ARNs) the source bucket must grant nothing. */
  expectDenied: string[];
  probes: Probe[];
  canary?: { timeoutSeconds: number; pollIntervalMs?: number };
  clock?: Clock;
  /**
   * Reads that serve several setups verified together, once nothing writes any more (a fleet's closing verify): the
   * policies of a role or user that many setups share are read once, not once per setup.
   */
  sharedReads?: Map<string, Promise<unknown>>;
}

/** Everything the checks look at: the same prepared state and documents `plan` and `apply` use. */
export interface VerifyContext {
  prepared: PreparedSetup;
  documents: DocumentContext;
  clients: AwsClients;
  options: VerifyOptions;
}

export const pass = (id: string, message: string): Check => ({ id, status: 'pass', message });
export const fail = (id: string, message: string, remedy: string): Check => ({ id, status: 'fail', message, remedy });
export const warn = (id: string, message: string, remedy: string): Check => ({ id, status: 'warn', message, remedy });
export const skip = (id: string, message: string): Check => ({ id, status: 'skip', message });

/** The remedy that fixes any drift from the desired state: apply is idempotent and rewrites only what differs. */
export const RERUN_WIZARD = 'Run `replicate-setup wizard` with the same flags';
