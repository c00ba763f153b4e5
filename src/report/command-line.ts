import { optionSpec } from '../input/option-table.js';
import { flagOf, type RawOptions, SETUP_OPTION_KEYS } from '../input/options.js';

// A value a POSIX shell reads as one word as it is; anything else goes in single quotes.
const PLAIN_WORD = /^[A-Za-z0-9@%+=:,./_-]+$/;
const shellWord = (value: string): string => (PLAIN_WORD.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/**
 * The setup's options as the flags of one `wizard --yes` command, in the table's order: what a person who typed their
 * answers needs to run the same setup again (a Ctrl-C, a failure half-way) without answering again. Pure.
 */
export function wizardCommandFor(raw: RawOptions): string {
  const words = ['replicate-setup', 'wizard', '--yes'];
  for (const key of SETUP_OPTION_KEYS) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value === 'boolean') {
      // An option on by default is given only when off, by its `--no-` flag (flagOf); one off by default, when on.
      if (value === (optionSpec(key).negation === undefined)) words.push(flagOf(key));
    } else {
      for (const item of Array.isArray(value) ? value : [value]) words.push(flagOf(key), shellWord(String(item)));
    }
  }
  return words.join(' ');
}
