// The closing report of a fleet run, as a person reads it: changes by account, a line per setup, what to do. Pure.
import type { ChalkInstance } from 'chalk';
import type { Output } from './output.js';

/** What the fleet table shows of one setup (commands/fleet.ts gives it a setup's outcome). */
export interface FleetRow {
  name: string;
  ok: boolean;
  /** One line for the summary table. */
  summary: string;
  /** Lines about this setup, by account; `key` names the change, so a change several setups share is shown once. */
  byAccount?: { account: string; lines: { text: string; key: string }[] }[];
  /** Lines under the table (the checks that failed or warned, with what to do). */
  details?: (c: ChalkInstance) => string[];
  error?: { remedy?: string };
}

/**
 * One account's part: what several setups share (one replication role, one destination bucket's settings: the same
 * line in each setup's plan) once, under the setups that share it, then each setup's own part (its rule, its
 * statements, its inline policies).
 */
function accountLines(outcomes: readonly FleetRow[], account: string, output: Output): string[] {
  const c = output.color;
  const linesOf = new Map(outcomes.map((o) => [o.name, (o.byAccount ?? []).filter((a) => a.account === account).flatMap((a) => a.lines)]));
  const setupsOf = new Map<string, string[]>();
  for (const [name, lines] of linesOf) for (const key of new Set(lines.map((line) => line.key))) setupsOf.set(key, [...(setupsOf.get(key) ?? []), name]);
  const isShared = (key: string): boolean => (setupsOf.get(key)?.length ?? 0) > 1;
  // Grouped by the exact set of setups sharing them (a heading shortens long lists, so it cannot be the key).
  const groups = new Map<string, { names: string[]; texts: string[] }>();
  for (const lines of linesOf.values()) {
    for (const { text, key } of lines.filter((line) => isShared(line.key))) {
      const names = setupsOf.get(key)!;
      const group = groups.get(JSON.stringify(names)) ?? { names, texts: [] };
      if (!group.texts.includes(text)) group.texts.push(text);
      groups.set(JSON.stringify(names), group);
    }
  }
  const out: string[] = [];
  for (const { names, texts } of groups.values()) {
    out.push(`  ${c.bold(`shared by ${names.length} setups (${namesList(names)})`)}`, ...texts.map((text) => `    ${text}`));
  }
  for (const [name, lines] of linesOf) {
    const own = lines.filter((line) => !isShared(line.key));
    if (own.length > 0) out.push(`  ${c.bold(name)}`, ...own.map((line) => `    ${line.text}`));
  }
  return out;
}

/** What each setup did, grouped by account, then one summary line per setup and what to do about failures. */
export function renderFleet(outcomes: readonly FleetRow[], output: Output, writes: boolean, interrupted: boolean): string {
  const c = output.color;
  const lines: string[] = [];
  const accounts = [...new Set(outcomes.flatMap((o) => (o.byAccount ?? []).map((a) => a.account)))];
  for (const account of accounts) {
    const part = accountLines(outcomes, account, output);
    lines.push(c.bold(account), ...(part.length > 0 ? part : [`  ${c.dim('no changes')}`]), '');
  }
  const width = Math.max(5, ...outcomes.map((o) => o.name.length));
  lines.push(c.bold(`${'setup'.padEnd(width)}  result`));
  for (const outcome of outcomes) lines.push(`${outcome.name.padEnd(width)}  ${outcome.ok ? c.green('ok') : c.red('FAILED')}  ${outcome.summary}`);
  const detailed = outcomes.flatMap(({ name, details }) => {
    const detailLines = details?.(c) ?? [];
    return detailLines.length > 0 ? ['', c.bold(`${name}:`), ...detailLines.map((line) => `  ${line}`)] : [];
  });
  if (detailed.length > 0) lines.push(...detailed, '');
  const failed = outcomes.filter((o) => !o.ok);
  // Each remedy once, after the setups it concerns: twenty setups stopped by one Ctrl-C share one.
  const byRemedy = new Map<string, string[]>();
  for (const { name, error } of failed) if (error?.remedy) byRemedy.set(error.remedy, [...(byRemedy.get(error.remedy) ?? []), name]);
  for (const [remedy, names] of byRemedy) lines.push(`${c.bold(`${namesList(names)}:`)} ${remedy}`);
  const verdict = interrupted ? interruptedVerdict(failed.length, outcomes.length) : fleetVerdict(failed.length, outcomes.length, writes);
  lines.push(failed.length === 0 ? c.green(verdict) : c.red(verdict));
  return lines.join('\n');
}

/** `a, b, c and 4 more`: a heading or a remedy names a few setups and counts the rest. */
const namesList = (names: readonly string[]): string => (names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`);

/** The summary's last line after Ctrl-C or SIGTERM: what finished, and that a re-run finishes the rest. */
export function interruptedVerdict(unfinished: number, count: number): string {
  const finished = count - unfinished;
  return `Interrupted: ${unfinished} of ${count} setup${count === 1 ? '' : 's'} not finished${finished > 0 ? `, ${finished} done` : ''}. Run the same command again to finish what is left.`;
}

/**
 * The summary's last line. Only a writing command finishes what is left when run again; a read reports, and each
 * failed setup's remedy above says what to do.
 */
export function fleetVerdict(failed: number, count: number, writes: boolean): string {
  const setups = (n: number): string => `${n} setup${n === 1 ? '' : 's'}`;
  if (failed === 0) return count === 1 ? 'The setup is ok.' : `All ${setups(count)} ok.`;
  const others = failed === count ? '' : `; the other${count - failed === 1 ? ' is' : 's are'} ${writes ? 'done' : 'ok'}`;
  // Not every failure goes away by itself (a bucket name another account holds): what to do comes first.
  return `${failed} of ${setups(count)} failed${others}.${writes ? ' Do what is said above for each, then run the same command again: it finishes only what is left.' : ''}`;
}
