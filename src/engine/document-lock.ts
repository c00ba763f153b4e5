import { hostname, userInfo } from 'node:os';
import * as ops from '../aws/catalogue.js';
import type { AccountClients, AwsClients } from '../aws/clients.js';
import { isErrorNamed } from '../aws/errors.js';
import { accountOf } from '../aws/identity.js';
import { send } from '../aws/send.js';
import { ReplicateSetupError } from '../errors.js';
import type { SetupInput } from '../input/types.js';

/**
 * Two runs that write the same bucket's documents (its policy, its replication configuration) must not interleave
 * their read-modify-write: each would write back the document it read, without the other's part. S3 and IAM have no
 * conditional write for those documents, so a run holds one lock per bucket from its read to its last write, as
 * Terraform holds its state lock.
 *
 * The lock is an IAM managed policy named after the bucket, in the bucket's account: IAM refuses a second policy of
 * the same name (EntityAlreadyExists), which is the conditional create a lock needs. It grants nothing and is attached
 * to nothing. An S3 object (PutObject If-None-Match) was the other candidate; it was not chosen because a lock object
 * inside a bucket whose rule replicates the whole bucket would itself be replicated, and the only place every writer
 * of a source bucket's configuration agrees on is that bucket. The policy's description names the holder and until
 * when it holds the lock.
 *
 * Within one process (a fleet), setups sharing a bucket also wait for each other on an in-process queue first, so the
 * IAM lock is only ever contended between processes.
 */

const LOCK_TTL_MS = 10 * 60_000;
const POLL_MS = 500;

export const lockPolicyName = (bucket: string): string => `replicate-setup-lock.${bucket}`;

const NOTHING_GRANTED = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'LockOnlyGrantsNothing', Effect: 'Deny', Action: 'iam:PassRole', Resource: 'arn:aws:iam::*:role/replicate-setup-lock-none' }],
});

/** Waiters per bucket in this process: each is the promise the next holder waits for. */
const localQueues = new Map<string, Promise<void>>();

async function takeLocal(key: string): Promise<() => void> {
  const before = localQueues.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = before.then(() => mine);
  localQueues.set(key, tail);
  await before;
  return () => {
    release();
    if (localQueues.get(key) === tail) localQueues.delete(key);
  };
}

export interface LockOptions {
  /** What the holder is doing, for the message another run shows (`wizard incidents`). */
  purpose: string;
  /** How long to wait for another run's lock before giving up; REPLICATE_SETUP_LOCK_WAIT_MS overrides the default. */
  waitMs?: number;
  now?: () => number;
  /** Ctrl-C: stop waiting for another run's lock (nothing is written yet). */
  signal?: AbortSignal;
}

const waitMsFrom = (env: NodeJS.ProcessEnv = process.env): number => {
  const given = Number(env.REPLICATE_SETUP_LOCK_WAIT_MS);
  return Number.isFinite(given) && given >= 0 ? given : 120_000;
};

const holderText = (purpose: string, now: number): string =>
  `held by ${safeUser()}@${hostname()} pid ${process.pid} (${purpose}) since ${new Date(now).toISOString()} until ${new Date(now + LOCK_TTL_MS).toISOString()}`;

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

async function takeRemote(account: AccountClients, bucket: string, options: LockOptions): Promise<() => Promise<void>> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.waitMs ?? waitMsFrom());
  for (;;) {
    try {
      const { Policy } = await send(account.iam, ops.iam.CreatePolicy, {
        PolicyName: lockPolicyName(bucket),
        PolicyDocument: NOTHING_GRANTED,
        Description: holderText(options.purpose, now()),
      });
      const arn = Policy?.Arn;
      return async () => {
        if (arn) await send(account.iam, ops.iam.DeletePolicy, { PolicyArn: arn }).catch(() => undefined);
      };
    } catch (error) {
      if (!isErrorNamed(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException')) throw error;
    }
    const arn = `arn:aws:iam::${await accountOf(account.sts)}:policy/${lockPolicyName(bucket)}`;
    const held = await send(account.iam, ops.iam.GetPolicy, { PolicyArn: arn }).catch(() => undefined);
    const description = held?.Policy?.Description ?? 'held by another run';
    const until = Date.parse(/until (\S+)$/.exec(description)?.[1] ?? '');
    const breakIt = `aws iam delete-policy --policy-arn ${arn}${account.profile ? ` --profile ${account.profile}` : ''}`;
    if (Number.isFinite(until) && until < now()) {
      throw new ReplicateSetupError('LOCKED', `The lock on ${bucket}'s documents is stale: ${description}.`, {
        remedy: `The run that took it seems to have stopped without releasing it. If no other run is under way, break the lock: ${breakIt}`,
      });
    }
    if (now() >= deadline) {
      throw new ReplicateSetupError('LOCKED', `Another run is writing ${bucket}'s documents: the lock is ${description}. Nothing was written.`, {
        remedy: `Run again once it has finished. If that run is gone, break the lock: ${breakIt}`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
  }
}

const interruptedWaiting = (): ReplicateSetupError =>
  new ReplicateSetupError('INTERRUPTED', 'Interrupted while waiting for its turn to write: nothing of it was written.', {
    remedy: 'Run the same command again to finish.',
  });

/**
 * Takes the locks of both buckets of a setup; the returned function releases them. Hold them from the read that plans
 * the writes to the last write. In this process, setups sharing a bucket queue in bucket-name order; across processes
 * both IAM locks are tried at once (one round trip), and a run that gets one but not the other lets it go before it
 * waits, so two runs never hold one each and wait for each other.
 */
export async function takeBucketLocks(input: SetupInput, clients: AwsClients, options: LockOptions): Promise<() => Promise<void>> {
  // Ordinal order, not localeCompare: every run on every machine must take the locks in the same order whatever its
  // locale (and a first localeCompare costs the process about 8 ms building a collator).
  const sides = [
    { bucket: input.source.bucket, account: clients.source },
    { bucket: input.destination.bucket, account: clients.destination },
  ].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
  const local: (() => void)[] = [];
  for (const { bucket } of sides) local.push(await takeLocal(`${input.endpointUrl ?? 'aws'}|${bucket}`));
  const releaseLocal = (): void => {
    for (const release of local.splice(0)) release();
  };
  try {
    // A setup of this run that waited its turn behind another: after Ctrl-C it takes no lock at all.
    if (options.signal?.aborted) throw interruptedWaiting();
    const now = options.now ?? Date.now;
    const deadline = now() + (options.waitMs ?? waitMsFrom());
    for (;;) {
      const tries = await Promise.allSettled(sides.map(({ bucket, account }) => takeRemote(account, bucket, { ...options, waitMs: 0 })));
      const held = tries.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
      const refused = tries.flatMap((t) => (t.status === 'rejected' ? [t.reason as unknown] : []));
      if (refused.length === 0) {
        return async () => {
          await Promise.all(held.map((release) => release()));
          releaseLocal();
        };
      }
      await Promise.all(held.map((release) => release()));
      const busy = refused.find((error) => error instanceof ReplicateSetupError && error.code === 'LOCKED' && /^Another run/.test(error.message));
      // Anything but a live lock (a stale one, a refused call) is final; a live one is waited for until the deadline.
      if (!busy || refused.some((error) => error !== busy && !(error instanceof ReplicateSetupError && /^Another run/.test(error.message)))) throw refused[0];
      if (now() >= deadline) throw busy;
      if (options.signal?.aborted) throw interruptedWaiting();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
      if (options.signal?.aborted) throw interruptedWaiting();
    }
  } catch (error) {
    releaseLocal();
    throw error;
  }
}
