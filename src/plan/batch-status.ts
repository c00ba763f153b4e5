/** A job that is still working (or waiting to): teardown cancels it, a re-run does not start another beside it. */
export const isActive = (status: string): boolean => !['Complete', 'Failed', 'Cancelled'].includes(status);

/** A job that has ended, one way or the other: `jobs --wait` stops waiting. */
export const hasEnded = (status: string): boolean => !isActive(status);
