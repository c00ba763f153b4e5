import { longFlag, optionSpec } from '../input/option-table.js';
import { type RawOptions, SETUP_OPTION_KEYS } from '../input/options.js';

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
    const spec = optionSpec(key);
    const flag = longFlag(spec);
    if (typeof value === 'boolean') {
      // An option that is on by default is given only when off (`--no-rtc`); one that is off, only when on.
      if (spec.negation !== undefined ? !value : value) words.push(spec.negation !== undefined ? flag.replace(/^--/, '--no-') : flag);
    } else {
      for (const item of Array.isArray(value) ? value : [value]) words.push(flag, shellWord(String(item)));
    }
  }
  return words.join(' ');
}
