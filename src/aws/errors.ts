import { ReplicateSetupError } from '../errors.js';
import { credentialsPhrase, profileArgument } from '../input/credentials.js';
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
/** The SDK's own credential resolution failed: its message says why (an expired SSO token, a failing credential_process). */
const CREDENTIAL_PROVIDER_ERRORS = ['CredentialsProviderError', 'TokenProviderError'];

export interface CallContext {
  /** What the tool was doing, e.g. "creating bucket rubes-s3-bucket". */
  doing: string;
  /** The named profile, or undefined for the SDK's default chain. */
  profile: string | undefined;
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
  const who = credentialsPhrase(ctx.profile);
  // Credential errors first: S3 and STS answer a bad or expired key with 403, which is not a missing permission.
  if (CREDENTIAL_PROVIDER_ERRORS.includes(name)) return credentialsError(error, detail, ctx.profile);
  if (BAD_CREDENTIALS.includes(name)) {
    return new ReplicateSetupError('NO_CREDENTIALS', `AWS did not accept the keys of ${who} (${name}): ${detail}`, {
      remedy: `Configure working credentials (aws configure${profileArgument(ctx.profile)}, or aws sso login${profileArgument(ctx.profile)}).`,
      exitCode: 2,
      cause: error,
    });
  }
  if (EXPIRED.includes(name)) {
    return new ReplicateSetupError('NO_CREDENTIALS', `The credentials of ${who} have expired.`, {
      remedy: `Refresh them (aws sso login${profileArgument(ctx.profile)}) and run again.`,
      exitCode: 2,
      cause: error,
    });
  }
  if (ACCESS_DENIED.includes(name) || httpStatus(error) === 403) {
    return new ReplicateSetupError('ACCESS_DENIED', `Access denied while ${ctx.doing} with ${who}: ${detail}`, {
      remedy: `Add ${needs} to the IAM policy of ${who}, then run again; finished steps are kept.`,
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

/**
 * A credential provider's failure, with the SDK's own reason and the remedy for that reason. The SDK's messages are
 * stable enough to match on; anything unmatched keeps the general remedy.
 */
function credentialsError(error: unknown, detail: string, profile: string | undefined): ReplicateSetupError {
  const who = credentialsPhrase(profile);
  const arg = profileArgument(profile);
  const reason = detail.trim();
  const remedy = /sso|token is expired/i.test(reason)
    ? `Sign in again: aws sso login${arg}, then run the same command.`
    : /credential_process/i.test(reason) || /^Command failed/i.test(reason)
      ? `The credential_process command of ${who} failed; run it by hand to see why, fix it, then run again.`
      : /multi-factor|mfa/i.test(reason)
        ? `Run at a terminal so the MFA code can be asked for, or use credentials that need no MFA (aws sts get-session-token).`
        : /could not load credentials from any providers/i.test(reason)
          ? 'Give --source-profile / --dest-profile, set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (aws configure, or aws sso login, creates a profile).'
          : `Configure credentials for it (aws configure${arg}, or aws sso login${arg}).`;
  return new ReplicateSetupError('NO_CREDENTIALS', `Could not get credentials from ${who.replace(/^credentials from /, '')}: ${reason}`, {
    remedy,
    exitCode: 2,
    cause: error,
  });
}
