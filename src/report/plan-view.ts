import type { ChalkInstance } from 'chalk';
import type { StepResult } from '../engine/apply-result.js';
import { credentialSource } from '../input/credentials.js';
import type { Accounts, SetupInput } from '../input/types.js';
import { type Action, type Change, changeDocuments, type Plan } from '../plan/changes.js';

const SYMBOL: Record<Action, string> = { create: '+', update: '~', delete: '-', 'no-op': '=' };

const paint = (c: ChalkInstance, action: Action, text: string): string =>
  action === 'create' ? c.green(text) : action === 'update' ? c.yellow(text) : action === 'delete' ? c.red(text) : c.dim(text);

/**
 * The plan as a person reads it: one line a step, grouped by account, then notes. With `details` (the `plan`
 * command), each step that changes something also shows the calls it makes and the documents it writes.
 */
export function renderPlan(plan: Plan, input: SetupInput, accounts: Accounts, c: ChalkInstance, details = false, mode: 'plan' | 'teardown' = 'plan'): string {
  // An endpoint left over from a demo (AWS_ENDPOINT_URL) must not pass for AWS: the header says where calls go.
  const lines: string[] = input.endpointUrl ? [c.yellow(`Endpoint ${input.endpointUrl} (not AWS: every call goes there)`)] : [];
  for (const side of ['source', 'destination'] as const) {
    const where = side === 'source' ? input.source : input.destination;
    lines.push(c.bold(`${side === 'source' ? 'Source' : 'Destination'} account ${accounts[side]} (${credentialSource(where.profile)}, ${where.region})`));
    for (const change of plan.changes.filter((ch) => ch.side === side)) {
      lines.push(`  ${renderChange(change, c)}`);
      if (details && change.action !== 'no-op') lines.push(...renderDetails(change, c));
    }
  }
  if (plan.notes.length > 0) {
    lines.push(c.bold('Notes'));
    for (const note of plan.notes) lines.push(`  • ${note}`);
  }
  lines.push(summaryLine(countActions(plan.changes.map((ch) => ch.action)), mode, c));
  return lines.join('\n');
}

function renderDetails(change: Change, c: ChalkInstance): string[] {
  const body = JSON.stringify(changeDocuments(change), null, 2).split('\n');
  return [c.dim(`      calls ${(change.calls ?? []).join(', ')}`), ...body.map((line) => c.dim(`      ${line}`))];
}

export function renderChange(change: Change, c: ChalkInstance): string {
  const note = change.note ? c.dim(` (${change.note})`) : '';
  return `${paint(c, change.action, `${SYMBOL[change.action]} ${change.action.padEnd(6)}`)} ${change.title}${note}`;
}

export interface ActionCounts {
  create: number;
  update: number;
  delete: number;
  'no-op': number;
}

export function countActions(actions: Action[]): ActionCounts {
  const counts: ActionCounts = { create: 0, update: 0, delete: 0, 'no-op': 0 };
  for (const action of actions) counts[action] += 1;
  return counts;
}

/** The closing one-liner, terraform style. */
export function summaryLine(counts: ActionCounts, mode: 'plan' | 'apply' | 'teardown', c: ChalkInstance): string {
  const changes = counts.create + counts.update + counts.delete;
  if (changes === 0 && mode === 'teardown') return c.green('Nothing to remove: this setup owns nothing here any more.');
  if (changes === 0) return c.green('Nothing to change: the setup is already in place.');
  if (mode === 'plan' || mode === 'teardown') {
    return c.bold(`Plan: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts['no-op']} unchanged.`);
  }
  return c.bold(`Applied: ${counts.create} created, ${counts.update} updated, ${counts.delete} deleted, ${counts['no-op']} unchanged.`);
}

/** After apply: what was done, failed or left undone, step by step (unchanged steps were shown in the plan). */
export function renderSteps(steps: StepResult[], c: ChalkInstance): string {
  const mark = { done: c.green('✓'), unchanged: c.dim('='), failed: c.red('✗'), 'not-run': c.dim('·') } as const;
  return steps
    .filter((s) => s.status !== 'unchanged')
    .map((s) => `  ${mark[s.status]} ${s.title}${s.status === 'not-run' ? c.dim(' (not run)') : ''}`)
    .join('\n');
}

/** The command that undoes this setup, with the flags that name it (what the wizard's closing summary shows). */
export function undoCommand(input: SetupInput): string {
  // A side without a profile used the default chain (the environment): the undo must too, not a profile "undefined".
  const profile = (flag: string, name: string | undefined): string[] => (name === undefined ? [] : [`${flag} ${name}`]);
  const flags = [
    ...profile('--source-profile', input.source.profile),
    `--source-region ${input.source.region}`,
    `--source-bucket ${input.source.bucket}`,
    ...profile('--dest-profile', input.destination.profile),
    `--dest-region ${input.destination.region}`,
    `--dest-bucket ${input.destination.bucket}`,
    `--role-name ${input.roleName}`,
    ...input.authorizedUsers.map((user) => `--authorized-user ${user}`),
    ...(input.encryption === 'sse-kms' ? ['--encryption sse-kms'] : []),
  ];
  return `replicate-setup teardown ${flags.join(' ')}`;
}
