import type { InputError } from '../errors.js';
import { flagOf, optionSpec, type RawOptions, SETUP_OPTION_KEYS, type SetupOptionKey } from '../input/options.js';
import type { PromptKit } from './prompt-kit.js';

/** The setup options a problem concerns, from the flag it names (`--no-rtc` is rtc). */
export function concernedKeys(error: InputError): SetupOptionKey[] {
  const flags = new Set(error.problems.map((problem) => problem.flag));
  return SETUP_OPTION_KEYS.filter((key) => flags.has(flagOf(key)));
}

/** The problems in the wizard's words: each names the answer (the question's subject), the flag only in brackets. */
export function problemsAsAnswers(error: InputError): string[] {
  return error.problems.map((problem) => {
    const key = SETUP_OPTION_KEYS.find((k) => flagOf(k) === problem.flag);
    const subject = key ? optionSpec(key).help : problem.flag;
    return `your answer for ${subject} (${problem.flag}): ${problem.message}`;
  });
}

export type AfterProblem = { kind: 'reask'; keys: SetupOptionKey[] } | { kind: 'save'; path: string } | { kind: 'quit' };

/**
 * After the checks before any change found a problem with the answers: answer those again (the default), save every
 * answer to a config file to fix by hand, or quit. Nothing has been written either way.
 */
export async function askAfterProblem(error: InputError, prompts: PromptKit): Promise<AfterProblem> {
  const keys = concernedKeys(error);
  const choice = await prompts.select<'reask' | 'save' | 'quit'>({
    message: 'Nothing was written. What now?',
    choices: [
      ...(keys.length > 0 ? [{ value: 'reask' as const, name: `Answer again: ${keys.map((key) => optionSpec(key).help).join('; ')}` }] : []),
      { value: 'save', name: 'Save my answers to a file and stop (run again with --config FILE)' },
      { value: 'quit', name: 'Quit' },
    ],
  });
  if (choice === 'reask') return { kind: 'reask', keys };
  if (choice === 'quit') return { kind: 'quit' };
  const path = await prompts.input({ message: 'Save the answers to:', default: 'replicate-setup.json' });
  return { kind: 'save', path };
}

/** The answers with the concerned ones removed, and which left-out options stay settled (not asked again). */
export function withoutAnswers(answers: RawOptions, keys: readonly SetupOptionKey[]): { answers: RawOptions; settled: Set<SetupOptionKey> } {
  const kept: RawOptions = { ...answers };
  for (const key of keys) delete kept[key];
  const settled = new Set(SETUP_OPTION_KEYS.filter((key) => !keys.includes(key) && kept[key] === undefined));
  return { answers: kept, settled };
}
