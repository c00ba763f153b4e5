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

export async function loadPromptKit(): Promise<PromptKit> {
  const { input, select, search, checkbox, confirm } = await import('@inquirer/prompts');
  return { input, select, search, checkbox, confirm };
}

/** Ctrl-C (or a closed terminal) at a prompt: inquirer rejects with ExitPromptError. Matched by name so any kit works. */
export const isPromptExit = (error: unknown): boolean => (error as { name?: unknown } | null)?.name === 'ExitPromptError';
