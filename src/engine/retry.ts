import { errorName } from '../aws/errors.js';

/**
 * IAM is eventually consistent: for seconds after a role is created, S3 rejects it in a bucket policy ("Invalid
 * principal") and IAM may not find it. These errors are waited out with bounded backoff; anything else fails fast.
 */
export function isPropagationError(error: unknown): boolean {
  const name = errorName(error);
  const message = (error as { message?: string })?.message ?? '';
  if (name === 'MalformedPolicy' && /principal/i.test(message)) return true;
  if (name === 'InvalidArgument' && /role|principal/i.test(message)) return true;
  if (name === 'InvalidRequest' && /role/i.test(message)) return true;
  if (name === 'NoSuchEntity' || name === 'NoSuchEntityException') return true;
  return false;
}

export interface RetryPolicy {
  attempts: number;
  /** Delay before the second attempt; each next one doubles, capped at maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_PROPAGATION_RETRY: RetryPolicy = {
  attempts: 10,
  firstDelayMs: 1_000,
  maxDelayMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function withPropagationRetry<T>(
  policy: RetryPolicy,
  run: () => Promise<T>,
  onWait: (attempt: number, delayMs: number, error: unknown) => void,
): Promise<T> {
  let delay = policy.firstDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= policy.attempts || !isPropagationError(error)) throw error;
      onWait(attempt, delay, error);
      await policy.sleep(delay);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
