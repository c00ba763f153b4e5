// One moto server per test file, with the two accounts re-created before every test.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type EmulatorClients, emulatorClients, setUpTwoAccounts, type TwoAccounts } from '../../src/emulator/accounts.js';
import { type MotoServer, startMotoServer } from '../../src/emulator/moto-server.js';

export type Side = 'source' | 'destination';

export interface Emulator {
  readonly endpoint: string;
  /** AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE for the profiles xyz (source) and abcd (destination). */
  readonly env: Record<string, string>;
  readonly accounts: TwoAccounts['accounts'];
  readonly regions: TwoAccounts['regions'];
  readonly profiles: TwoAccounts['profiles'];
  readonly setup: TwoAccounts;
  /** This file's temp dir (profile files are in subdirs); tests may put other files here. */
  readonly dir: string;
  /** Admin clients of that side's account and region, to inspect or arrange state. */
  clients(side: Side): EmulatorClients;
}

export function useEmulator(opts: { companyUsers?: string[] } = {}): Emulator {
  let server: MotoServer | undefined;
  let dir: string | undefined;
  let setup: TwoAccounts | undefined;
  let round = 0;

  beforeAll(async () => {
    server = await startMotoServer();
    dir = await mkdtemp(join(tmpdir(), 'replicate-setup-emulator-'));
  });
  // The reset also deletes the access keys, so the accounts must be provisioned again. New
  // profile files go to a new path each time: the SDK caches shared ini files by path for the
  // life of the process, so rewriting the same path would hand later tests the old keys.
  beforeEach(async () => {
    await need(server).reset();
    setup = await setUpTwoAccounts(need(server).endpoint, join(need(dir), `aws-${++round}`), opts);
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  return {
    get endpoint() {
      return need(server).endpoint;
    },
    get env() {
      return need(setup).env;
    },
    get accounts() {
      return need(setup).accounts;
    },
    get regions() {
      return need(setup).regions;
    },
    get profiles() {
      return need(setup).profiles;
    },
    get setup() {
      return need(setup);
    },
    get dir() {
      return need(dir);
    },
    clients(side: Side) {
      const s = need(setup);
      return emulatorClients(s.endpoint, s.regions[side], s.credentials[side]);
    },
  };
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('emulator not ready: use it inside a test or hook (after beforeAll/beforeEach)');
  return value;
}

/**
 * Bucket names are global across moto's accounts and test files run in parallel, so add a
 * random suffix. Keeps S3 rules: 3-63 chars of [a-z0-9-] (no dots, so none of the dot rules
 * apply), starting and ending with a letter or digit, no reserved prefix.
 */
export function uniqueBucketName(base: string): string {
  const suffix = randomBytes(4).toString('hex');
  let clean = base
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63 - suffix.length - 1)
    .replace(/-+$/, '');
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(clean)) clean = `b-${clean}`.slice(0, 63 - suffix.length - 1).replace(/-+$/, '');
  return clean ? `${clean}-${suffix}` : `bucket-${suffix}`;
}

/** The error a promise rejects with, as name + HTTP status. */
export async function failure(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

/** A bucket with a unique name (see uniqueBucketName) in that region. */
export async function createBucket(s3: S3Client, region: string, base: string): Promise<string> {
  const Bucket = uniqueBucketName(base);
  await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: region as 'ap-southeast-1' } }));
  return Bucket;
}
