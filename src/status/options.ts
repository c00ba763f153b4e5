import type { InputProblem } from '../errors.js';
import { problemAt } from '../input/options.js';

/** `status`'s own values: the window of metrics it reads (--since) and how many newest objects it samples (--sample). */

const MAX_SINCE_MS = 15 * 24 * 3600 * 1000;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90m`, `24h`, `7d` in milliseconds, or a problem naming --since. */
export function parseSince(text: string): { ms: number } | { problem: InputProblem } {
  const match = /^(\d+)([mhd])$/.exec(text.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : Number.NaN;
  if (!match || ms <= 0 || ms > MAX_SINCE_MS)
    return { problem: problemAt('since', `"${text}" is not allowed: give minutes, hours or days up to 15 days (90m, 24h, 7d)`) };
  return { ms };
}

export function parseSample(text: string): { count: number } | { problem: InputProblem } {
  const count = Number(text);
  if (!/^\d+$/.test(text) || count > 1000) return { problem: problemAt('sample', `"${text}" is not allowed: give a whole number from 0 to 1000`) };
  return { count };
}
