import type { ChalkInstance } from 'chalk';
import type { Check, CheckStatus, VerifyReport } from '../verify/types.js';

const MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '–' };

const paint = (c: ChalkInstance, status: CheckStatus, text: string): string =>
  status === 'pass' ? c.green(text) : status === 'fail' ? c.red(text) : status === 'warn' ? c.yellow(text) : c.dim(text);

export type StatusCounts = Record<CheckStatus, number>;

export function countStatuses(checks: Check[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const check of checks) counts[check.status] += 1;
  return counts;
}

const side = (s: VerifyReport['source']): string => `${s.bucket} (${s.account ? `account ${s.account}, ` : ''}${s.region})`;

/** The report as a person reads it: one line a check, each fail and warn followed by what to do, then a summary. */
export function renderVerifyReport(report: VerifyReport, c: ChalkInstance): string {
  const width = Math.min(36, Math.max(...report.checks.map((check) => check.id.length), 0));
  const lines = [c.bold(`Verify ${side(report.source)} → ${side(report.destination)}`)];
  for (const check of report.checks) {
    lines.push(`  ${paint(c, check.status, MARK[check.status])} ${check.id.padEnd(width)}  ${check.status === 'skip' ? c.dim(check.message) : check.message}`);
    if (check.remedy && (check.status === 'fail' || check.status === 'warn')) {
      lines.push(`    ${' '.repeat(width)}  ${paint(c, check.status, '→')} ${check.remedy}`);
    }
  }
  lines.push(verifySummaryLine(report, c));
  return lines.join('\n');
}

/** The checks a person must act on (each fail, then each warning) with what to do: a fleet prints them under its table. */
export function verifyProblemLines(report: VerifyReport, c: ChalkInstance): string[] {
  const shown = [...report.checks.filter((check) => check.status === 'fail'), ...report.checks.filter((check) => check.status === 'warn')];
  return shown.flatMap((check) => [
    `${paint(c, check.status, MARK[check.status])} ${check.id}  ${check.message}`,
    ...(check.remedy ? [`  ${paint(c, check.status, '→')} ${check.remedy}`] : []),
  ]);
}

/** A fleet's summary cell for a failed verify: how many checks failed and which (lines under the table say more). */
export function failedChecksLine(report: VerifyReport): string {
  const failed = report.checks.filter((check) => check.status === 'fail').map((check) => check.id);
  const named = failed.length <= 3 ? failed.join(', ') : `${failed.slice(0, 3).join(', ')} and ${failed.length - 3} more`;
  return `${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${named}`;
}

/** The closing one-liner. */
export function verifySummaryLine(report: VerifyReport, c: ChalkInstance): string {
  const n = countStatuses(report.checks);
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  const rest = [`${n.pass} passed`, ...(n.warn ? [plural(n.warn, 'warning')] : []), ...(n.skip ? [`${n.skip} skipped`] : [])].join(', ');
  if (!report.ok) return c.red.bold(`Verify failed: ${n.fail} of ${report.checks.length} checks failed (${rest}).`);
  return c.green.bold(`Verified: no check failed (${rest}).`);
}

/** `--json`: `{"ok", "checks": [{"id", "status", "message", "remedy"?}]}` plus what the checks were about. */
export function verifyJson(report: VerifyReport): Record<string, unknown> {
  return {
    ok: report.ok,
    command: 'verify',
    source: report.source,
    destination: report.destination,
    summary: countStatuses(report.checks),
    checks: report.checks.map((check) => ({
      id: check.id,
      status: check.status,
      message: check.message,
      ...(check.remedy !== undefined && check.status !== 'pass' && check.status !== 'skip' ? { remedy: check.remedy } : {}),
    })),
  };
}
