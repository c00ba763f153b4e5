/**
 * Runs `work` with an AbortSignal that the first Ctrl-C (or SIGTERM) fires: the calls under way finish, nothing new
 * starts. A second one quits at once, for a person who would rather not wait.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>, onFirstInterrupt: () => void): Promise<T> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(INTERRUPTED_EXIT_CODE);
    controller.abort();
    onFirstInterrupt();
  };
  // SIGTERM (a CI job cancelled) stops the same way: the calls under way finish before the locks are released.
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

/** The exit code of a run stopped by Ctrl-C, as shells report SIGINT (128 + 2). */
export const INTERRUPTED_EXIT_CODE = 130;
