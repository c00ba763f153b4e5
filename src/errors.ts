/**
 * Every failure the user can see is one of these: a code scripts can match, a message saying what happened, and a
 * remedy saying what to do. Exit code 2 means the input was wrong and nothing was written; 1 means AWS said no.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'MISSING_INPUT'
  | 'NO_CREDENTIALS'
  | 'KMS_KEY_INVALID'
  | 'ACCESS_DENIED'
  | 'THROTTLED'
  | 'AWS_ERROR'
  | 'NETWORK'
  | 'INTERRUPTED'
  | 'VERIFY_FAILED'
  | 'NOT_EMPTY'
  | 'LOCKED';

export interface InputProblem {
  /** The flag that carries the bad value, e.g. `--source-bucket`. */
  flag: string;
  message: string;
}

export class ReplicateSetupError extends Error {
  readonly code: ErrorCode;
  readonly remedy: string | undefined;
  readonly exitCode: 1 | 2;

  constructor(code: ErrorCode, message: string, options: { remedy?: string; exitCode?: 1 | 2; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReplicateSetupError';
    this.code = code;
    this.remedy = options.remedy;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad input, found before any write: always exit 2, and every problem is listed, each naming its flag. */
export class InputError extends ReplicateSetupError {
  readonly problems: InputProblem[];

  constructor(problems: InputProblem[], code: ErrorCode = 'INVALID_INPUT') {
    super(code, problems.map((p) => `${p.flag}: ${p.message}`).join('\n'), {
      exitCode: 2,
      // A problem is named by its flag (`--dest-bucket`) or by its place in a --config file (`setups[3].destBucket`).
      remedy: problems.every((p) => p.flag.startsWith('--'))
        ? 'Fix the flags named above and run again; nothing was written.'
        : 'Fix what is named above (flags, or keys of the --config file) and run again; nothing was written.',
    });
    this.name = 'InputError';
    this.problems = problems;
  }
}

export const isReplicateSetupError = (error: unknown): error is ReplicateSetupError => error instanceof ReplicateSetupError;
