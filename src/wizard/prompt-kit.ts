import type { checkbox, confirm, input, search, select } from '@inquirer/prompts';

/**
 * The prompt functions the wizard asks with. Passed in rather than imported where they are used, so tests can drive
 * the whole flow on fake streams (@inquirer/testing) and the CLI loads the prompt library only when it asks.
 */
export interface PromptKit {
  input: typeof input;
  select: typeof select;
  search: typeof search;
  checkbox: typeof checkbox;
  confirm: typeof confirm;
}

/**
 * The real prompts, drawn on stderr: stdout carries the results (the plan, the report), so `wizard > plan.txt` still
 * shows its questions at the terminal.
 */
export async function loadPromptKit(output: NodeJS.WritableStream = process.stderr): Promise<PromptKit> {
  const prompts = await import('@inquirer/prompts');
  const onStderr = <F>(prompt: F): F =>
    ((config: unknown, context?: object) => (prompt as (config: unknown, context?: object) => unknown)(config, { output, ...context })) as F;
  return {
    input: onStderr(prompts.input),
    select: onStderr(prompts.select),
    search: onStderr(prompts.search),
    checkbox: onStderr(prompts.checkbox),
    confirm: onStderr(prompts.confirm),
  };
}

/** Ctrl-C (or a closed terminal) at a prompt: inquirer rejects with ExitPromptError. Matched by name so any kit works. */
export const isPromptExit = (error: unknown): boolean => (error as { name?: unknown } | null)?.name === 'ExitPromptError';
