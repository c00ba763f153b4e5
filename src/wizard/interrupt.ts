/**
 * Runs `work` with an AbortSignal that the first Ctrl-C (or SIGTERM) fires: the calls under way finish, nothing new
 * starts. A second one quits at once, for a person who would rather not wait.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>, onFirstInterrupt: () => void): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (controller.signal.aborted) process.exit(exitCodeOf(signal));
    stoppedBy = signal;
    controller.abort();
    onFirstInterrupt();
  };
  // Each listener names its own signal: `process.emit('SIGINT')` (as a test sends Ctrl-C) passes no name.
  const onSigint = (): void => onSignal('SIGINT');
  // SIGTERM (a CI job cancelled) stops the same way: the calls under way finish before the locks are released.
  const onSigterm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onSigint).on('SIGTERM', onSigterm);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSigint).off('SIGTERM', onSigterm);
  }
}

/** The exit code of a run stopped by Ctrl-C, as shells report SIGINT (128 + 2). */
export const INTERRUPTED_EXIT_CODE = 130;
/** The exit code of a run stopped by SIGTERM, as shells report it (128 + 15). */
export const TERMINATED_EXIT_CODE = 143;

export const exitCodeOf = (signal: 'SIGINT' | 'SIGTERM'): number => (signal === 'SIGTERM' ? TERMINATED_EXIT_CODE : INTERRUPTED_EXIT_CODE);

let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;

/** The exit code of a run `interruptible` stopped: 143 after SIGTERM, else 130 (Ctrl-C, or a prompt left with it). */
export const interruptedExitCode = (): number => exitCodeOf(stoppedBy ?? 'SIGINT');
