// The wizard's questions on @inquirer/testing's fake terminal: fake lookups, a kit that notes each question, and
// keystroke helpers. Used by test/wizard-questions.test.ts.
// @inquirer/testing/vitest must load before @inquirer/prompts: it mocks the prompt packages as it loads.
import '@inquirer/testing/vitest';
import * as prompts from '@inquirer/prompts';
import { screen } from '@inquirer/testing/vitest';
import { Chalk } from 'chalk';
import { expect } from 'vitest';
import type { RawOptions } from '../../src/input/options.js';
import type { WizardLookups } from '../../src/wizard/lookups.js';
import type { PromptKit } from '../../src/wizard/prompt-kit.js';
import { askForOptions } from '../../src/wizard/questions.js';
import { SEED_RAW } from './fixtures.js';
// @inquirer/testing/vitest replaces the prompts with ones that render on `screen`.
export const kit: PromptKit = prompts;

const PROFILES: Record<string, { region: string; account: string }> = {
  abcd: { region: 'ap-southeast-2', account: '222222222222' },
  xyz: { region: 'ap-southeast-1', account: '111111111111' },
};

/** The walkthrough's setup, as the wizard returns it when the remaining questions keep their defaults. */
export const SEED: RawOptions = { ...SEED_RAW, prefix: '', rtc: true, deleteMarkerReplication: true };

export function fakeLookups(opts: { usersFail?: boolean; badProfile?: string } = {}): WizardLookups {
  return {
    profiles: {
      exists: (name) => name in PROFILES,
      region: (name) => PROFILES[name]?.region,
      names: () => Object.keys(PROFILES),
    },
    accountOf: async (profile) => {
      if (opts.badProfile !== undefined && profile === opts.badProfile)
        throw Object.assign(new Error('Could not get credentials from profile "xyz": Token is expired.'), {
          remedy: 'Sign in again: aws sso login --profile xyz',
        });
      return PROFILES[profile ?? 'xyz']!.account;
    },
    iamUsers: async (profile) => {
      if (opts.usersFail) throw new Error('Access denied while listing IAM users with profile "abcd"');
      // The source account's users (for uploaders) as the fake's partner account has them.
      if (profile === 'xyz') return [{ name: 'alice', arn: 'arn:aws:iam::111111111111:user/alice' }];
      expect(profile).toBe('abcd');
      return [
        { name: 'clint-eastwood', arn: 'arn:aws:iam::222222222222:user/clint-eastwood' },
        { name: 'tom-cruise', arn: 'arn:aws:iam::222222222222:user/tom-cruise' },
      ];
    },
  };
}

/** The kit, noting each question's message in order. */
export function recordingKit(asked: string[]): PromptKit {
  const note = <F>(prompt: F): F =>
    ((config: { message: string }, context?: unknown) => {
      asked.push(config.message);
      return (prompt as (config: unknown, context?: unknown) => unknown)(config, context);
    }) as F;
  return {
    input: note(kit.input),
    select: note(kit.select),
    search: note(kit.search),
    checkbox: note(kit.checkbox),
    confirm: note(kit.confirm),
  };
}

export function start(given: RawOptions, lookups: WizardLookups = fakeLookups()) {
  const said: string[] = [];
  const asked: string[] = [];
  const answers = askForOptions(given, { prompts: recordingKit(asked), lookups, say: (line) => said.push(line), color: new Chalk({ level: 0 }) });
  // Keep a rejection from being reported as unhandled before the test awaits it.
  answers.catch(() => undefined);
  return { answers, said, asked };
}

/** Waits (bounded) until the current prompt shows `text`, and returns the screen. */
export async function waitFor(text: string | RegExp): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const shown = screen.getScreen();
    if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return shown;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never shown: ${String(text)}\n--- the screen shows:\n${screen.getScreen()}`);
}

export function type(text: string): void {
  screen.type(text);
  screen.keypress('enter');
}

export function press(...keys: string[]): void {
  for (const key of keys) screen.keypress(key);
}

export function erase(count: number): void {
  for (let i = 0; i < count; i++) screen.keypress('backspace');
}

/** Types `bad`, waits for the reason it is refused, then erases it and types `good`. */
export async function refusedThenFixed(bad: string, reason: string, good: string): Promise<void> {
  type(bad);
  await waitFor(reason);
  erase(bad.length);
  type(good);
}
