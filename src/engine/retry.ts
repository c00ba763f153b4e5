import { setTimeout as sleepFor } from 'node:timers/promises';
import { type CallContext, errorName } from '../aws/errors.js';
import { ReplicateSetupError } from '../errors.js';

/**
 * AWS is eventually consistent. For seconds after a role is created, S3 rejects it in a bucket policy ("Invalid
 * principal") and IAM may not find it; a bucket just created may still answer NoSuchBucket; S3 answers concurrent
 * changes to one bucket's settings with 409 OperationAborted, and may refuse replication until the versioning it
 * was just given is visible. These are waited out with bounded backoff; anything else fails fast.
 */
export function isPropagationError(error: unknown): boolean {
  const name = errorName(error);
  const message = (error as { message?: string })?.message ?? '';
  if (name === 'MalformedPolicy' && /principal/i.test(message)) return true;
  // KMS says the same of a new role named in a key policy ("one or more invalid principals").
  if (name === 'MalformedPolicyDocumentException' && /principal/i.test(message)) return true;
  if (name === 'InvalidArgument' && /role|principal/i.test(message)) return true;
  if (name === 'InvalidRequest' && /role/i.test(message)) return true;
  if (name === 'NoSuchEntity' || name === 'NoSuchEntityException') return true;
  if (name === 'OperationAborted' || name === 'NoSuchBucket') return true;
  if (name === 'InvalidRequest' && /versioning must be .?enabled/i.test(message)) return true;
  // Cross-region: the destination's new versioning is not yet visible to the source region's S3.
  if (name === 'InvalidRequest' && /destination bucket must have versioning enabled/i.test(message)) return true;
  return false;
}

export interface RetryPolicy {
  attempts: number;
  /** Delay before the second attempt; each next one doubles, capped at maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Waits ms, or less when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_PROPAGATION_RETRY: RetryPolicy = {
  attempts: 10,
  firstDelayMs: 1_000,
  maxDelayMs: 10_000,
  sleep: (ms, signal) => sleepFor(ms, undefined, signal ? { signal } : {}).catch(() => undefined),
};

/**
 * Runs `run` until it succeeds, fails with something other than a propagation error, or has used every attempt.
 * An aborted signal (Ctrl-C) stops the waiting: the last error is thrown at once rather than after the next delay.
 */
export async function withPropagationRetry<T>(
  policy: RetryPolicy,
  run: () => Promise<T>,
  onWait: (attempt: number, delayMs: number, error: unknown) => void,
  signal?: AbortSignal,
): Promise<T> {
  const waits = delaysOf(policy);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      const wait = waits[attempt - 1];
      if (wait === undefined || !isPropagationError(error) || signal?.aborted) throw error;
      onWait(attempt, wait, error);
      await policy.sleep(wait, signal);
      if (signal?.aborted) throw error;
    }
  }
}

/** The delay after each failed attempt but the last: doubling from firstDelayMs, capped at maxDelayMs. */
export const delaysOf = (policy: RetryPolicy): number[] =>
  Array.from({ length: Math.max(0, policy.attempts - 1) }, (_, i) => Math.min(policy.firstDelayMs * 2 ** i, policy.maxDelayMs));

/**
 * What the user sees when a propagation error outlived the retries: the AWS message alone ("Invalid principal in
 * policy") reads like a bug in the document, when usually IAM is just slow, or a named principal does not exist.
 */
export function propagationGaveUp(error: unknown, ctx: CallContext, policy: RetryPolicy): ReplicateSetupError {
  const detail = (error as { message?: string })?.message ?? String(error);
  const seconds = Math.round(delaysOf(policy).reduce((sum, delay) => sum + delay, 0) / 1000);
  return new ReplicateSetupError(
    'AWS_ERROR',
    `AWS still refused ${ctx.doing} after ${policy.attempts} attempts over ${seconds}s (${errorName(error)}): ${detail}`,
    {
      remedy:
        'A role or user created moments ago can take a minute or two to be usable everywhere (IAM propagation): wait, then run the same command again. ' +
        'If it keeps failing, check that every principal the policy names exists (the replication role, each --authorized-user).',
      cause: error,
    },
  );
}
