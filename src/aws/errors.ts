import { ReplicateSetupError } from '../errors.js';
import { describeNeeds, failedCallOf } from './send.js';

/** The parts of an SDK v3 error we look at; anything thrown by the SDK has these, other errors may not. */
interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  /** attempts: how many times the SDK sent the request (its retries included). */
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $response?: { statusCode?: number };
}

export const errorName = (error: unknown): string => {
  const e = (error ?? {}) as SdkErrorShape;
  return e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'Error');
};

export const httpStatus = (error: unknown): number | undefined => {
  const e = (error ?? {}) as SdkErrorShape;
  return e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
};

export const isErrorNamed = (error: unknown, ...names: string[]): boolean => names.includes(errorName(error));

const ACCESS_DENIED = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AllAccessDisabled'];
const THROTTLED = ['Throttling', 'ThrottlingException', 'SlowDown', 'TooManyRequestsException', 'RequestLimitExceeded'];
const NETWORK = ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'TimeoutError', 'EHOSTUNREACH', 'EAI_AGAIN'];
const BAD_CREDENTIALS = ['InvalidClientTokenId', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'UnrecognizedClientException'];
const EXPIRED = ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'];

export interface CallContext {
  /** What the tool was doing, e.g. "creating bucket rubes-s3-bucket". */
  doing: string;
  profile: string;
  /**
   * The IAM action(s) the work needs, for failures that are not of one catalogue call (a call that failed names its
   * own operation's actions and resource, which win).
   */
  permission?: string;
  resource?: string;
}

/**
 * Turns an SDK error into one a person can act on. The SDK's own message is kept for detail, but never credentials:
 * AWS messages name key ids at most, and the output layer redacts those too.
 */
export function translateAwsError(error: unknown, ctx: CallContext): ReplicateSetupError {
  if (error instanceof ReplicateSetupError) return error;
  const name = errorName(error);
  const detail = (error as SdkErrorShape)?.message ?? String(error);
  const failed = failedCallOf(error);
  const needs = failed ? describeNeeds(failed.grants) : `${ctx.permission ?? 'the permission this call needs'}${ctx.resource ? ` on ${ctx.resource}` : ''}`;
  // Credential errors first: S3 and STS answer a bad or expired key with 403, which is not a missing permission.
  if (BAD_CREDENTIALS.includes(name) || name === 'CredentialsProviderError') {
    return new ReplicateSetupError('NO_CREDENTIALS', `Profile "${ctx.profile}" has no usable credentials (${name}).`, {
      remedy: `Configure credentials for it (aws configure --profile ${ctx.profile}, or aws sso login --profile ${ctx.profile}).`,
      exitCode: 2,
      cause: error,
    });
  }
  if (EXPIRED.includes(name)) {
    return new ReplicateSetupError('NO_CREDENTIALS', `The credentials of profile "${ctx.profile}" have expired.`, {
      remedy: `Refresh them (aws sso login --profile ${ctx.profile}) and run again.`,
      exitCode: 2,
      cause: error,
    });
  }
  if (ACCESS_DENIED.includes(name) || httpStatus(error) === 403) {
    return new ReplicateSetupError('ACCESS_DENIED', `Access denied while ${ctx.doing} with profile "${ctx.profile}": ${detail}`, {
      remedy: `Add ${needs} to the IAM policy of profile "${ctx.profile}", then run again; finished steps are kept.`,
      cause: error,
    });
  }
  if (THROTTLED.includes(name) || httpStatus(error) === 429) {
    const attempts = (error as SdkErrorShape)?.$metadata?.attempts;
    const tries = attempts && attempts > 1 ? `${attempts} attempts` : 'retries';
    return new ReplicateSetupError('THROTTLED', `AWS kept throttling the calls while ${ctx.doing}, even after ${tries}.`, {
      remedy: 'Wait a minute and run the same command again; it picks up where it stopped.',
      cause: error,
    });
  }
  if (NETWORK.includes(name) || NETWORK.includes((error as SdkErrorShape)?.code ?? '')) {
    return new ReplicateSetupError('NETWORK', `Could not reach AWS while ${ctx.doing}: ${detail}`, {
      remedy: 'Check the network (and --endpoint-url if you gave one), then run again; finished steps are kept.',
      cause: error,
    });
  }
  return new ReplicateSetupError('AWS_ERROR', `AWS refused ${ctx.doing} (${name}): ${detail}`, {
    remedy: 'Read the AWS message above; after fixing its cause, run again: finished steps are kept.',
    cause: error,
  });
}

/** Runs one AWS call and translates its failure. */
export async function call<T>(ctx: CallContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateAwsError(error, ctx);
  }
}
