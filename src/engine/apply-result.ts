import { ReplicateSetupError } from '../errors.js';
import type { Action } from '../plan/changes.js';

// What an apply produced, kept apart from the executor so commands can report failures without loading the AWS SDK.

export type StepStatus = 'done' | 'unchanged' | 'failed' | 'not-run';

export interface StepResult {
  id: string;
  title: string;
  action: Action;
  resource: string;
  status: StepStatus;
  note?: string;
  error?: ReplicateSetupError;
}

/** Raised when some step failed: carries every step's outcome so the user sees what is done and what is left. */
export class ApplyFailedError extends ReplicateSetupError {
  readonly steps: StepResult[];

  constructor(steps: StepResult[], cause: ReplicateSetupError) {
    const done = steps.filter((s) => s.status === 'done').length;
    const left = steps.filter((s) => s.status === 'failed' || s.status === 'not-run').length;
    super(cause.code, `${cause.message}\n${done} step(s) done, ${left} left undone.`, {
      remedy: `${cause.remedy ?? ''} Running the same command again finishes the job: it only redoes what is missing.`.trim(),
      // Exit 2 promises that nothing was written: true only if no step got done before the failure.
      exitCode: done > 0 ? 1 : cause.exitCode,
      cause,
    });
    this.steps = steps;
  }
}
