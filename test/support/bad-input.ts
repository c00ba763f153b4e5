// The bad inputs the CLI must refuse (exit 2, the flag named, nothing created): the case type and its helpers.
import type { Names } from './cli.js';
import { seedArgs } from './cli.js';

export interface BadCase {
  name: string;
  /** The full argument list, from this case's own (unused elsewhere) bucket and role names. */
  args: (n: Names, files: Files) => string[];
  /** The flag(s) the error must name. */
  flags: string[];
  /** What the message must say: the rule broken or what is allowed. */
  says: RegExp;
  /** Force one output mode; by default cases alternate between human and --json. */
  json?: boolean;
}

export interface Files {
  dir: string;
}

export const set = (args: string[], flag: string, value: string): string[] => {
  const at = args.indexOf(flag);
  if (at === -1) return [...args, flag, value];
  return [...args.slice(0, at + 1), value, ...args.slice(at + 2)];
};
export const drop = (args: string[], flag: string): string[] => {
  const at = args.indexOf(flag);
  return at === -1 ? args : [...args.slice(0, at), ...args.slice(at + 2)];
};
export const wizard = (args: string[]): string[] => ['wizard', '--yes', ...args];
export const withValue = (flag: string, value: (n: Names) => string) => (n: Names) => wizard(set(seedArgs(n), flag, value(n)));

export const NOT_A_BUCKET_NAME = /is not a valid bucket name: it/;
