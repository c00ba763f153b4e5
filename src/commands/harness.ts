import { ApplyFailedError } from '../engine/apply-result.js';
import { createOutput, type Output, type OutputStreams } from '../report/output.js';
import { progressReporter } from '../report/progress.js';
import { INTERRUPTED_EXIT_CODE, interruptedExitCode } from '../wizard/interrupt.js';
import { isPromptExit } from '../wizard/prompt-kit.js';
import { reportFailure } from './common.js';

/** What a command body works with: where to write, and the progress display (whose sink the engine reports to). */
export interface CommandContext {
  output: Output;
  progress: Awaited<ReturnType<typeof progressReporter>>;
}

/** What a test can replace in every command. */
export interface HarnessDeps {
  streams?: OutputStreams;
}

/**
 * Runs one command: makes the output (--json or text) and the progress display, runs `body`, and turns any failure
 * into its report and exit code. The body stops the progress display before it prints its result; on a failure the
 * harness stops it. Ctrl-C at a prompt (nothing written, the person knows they pressed it) exits 130 without a report;
 * an apply stopped by Ctrl-C is reported and exits 130.
 */
export async function runCommand(flags: Record<string, unknown>, deps: HarnessDeps, body: (context: CommandContext) => Promise<number>): Promise<number> {
  const output = createOutput(!!flags.json, deps.streams);
  const progress = await progressReporter(output);
  try {
    return await body({ output, progress });
  } catch (error) {
    progress.stop();
    if (isPromptExit(error)) return INTERRUPTED_EXIT_CODE;
    const code = reportFailure(error, output);
    return error instanceof ApplyFailedError && error.code === 'INTERRUPTED' ? interruptedExitCode() : code;
  }
}
