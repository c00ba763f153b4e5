// The closing table (and the same as one JSON object): each case's status, latencies and failures, the calls made,
// the cost estimate and anything left behind.
import { costEstimate } from './options.js';

export function summary(ctx, records, { interrupted, cleanupProblems, leftover, error }) {
  const hours = (Date.now() - ctx.startedAt) / 3_600_000;
  const cliRuns = ctx.cliRuns.length;
  const cost = costEstimate({ sdkCalls: ctx.calls.total, cliRuns, kmsKeys: ctx.kmsKeys, alarms: ctx.alarms, hours });
  const failed = records.some((r) => r.status === 'failed') || cleanupProblems.length > 0 || leftover.length > 0 || !!error;
  return {
    ok: !failed && !interrupted,
    runId: ctx.runId,
    endpoint: ctx.endpoint ?? 'AWS',
    ...(ctx.source
      ? { accounts: { source: `${ctx.source.account} (${ctx.source.region})`, destination: `${ctx.destination.account} (${ctx.destination.region})` } }
      : {}),
    interrupted,
    ...(error ? { error } : {}),
    cases: records.map((r) => r.toJSON()),
    calls: { suite: ctx.calls.total, byService: ctx.calls.byService, cliRuns, cliRunsByCommand: countBy(ctx.cliRuns.map((r) => r.command)) },
    cost: { estimateUsd: cost.dollars, basis: cost.basis },
    cleanup: { kept: ctx.options.keep, problems: cleanupProblems, leftover },
    minutes: Math.round(hours * 600) / 10,
  };
}

function countBy(items) {
  const counts = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

const pad = (text, width) => text + ' '.repeat(Math.max(0, width - text.length));

export function renderSummary(s) {
  const rows = s.cases.map((c) => [
    c.name,
    c.status,
    c.latencies.map((l) => `${l.seconds} s`).join(', ') || '-',
    `${c.claims.filter((x) => x.status === 'passed').length}/${c.claims.length}`,
  ]);
  const header = ['case', 'result', 'replication latency', 'claims passed'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => pad(c, widths[i])).join(' | ')} |`;
  const out = [
    `Acceptance run ${s.runId} against ${s.endpoint}${s.accounts ? `: source ${s.accounts.source}, destination ${s.accounts.destination}` : ''}`,
    line(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ];
  for (const c of s.cases) {
    for (const claim of c.claims.filter((x) => x.status === 'failed'))
      out.push(`✗ ${c.name}: ${claim.claim}: expected ${claim.expected}; AWS showed ${claim.shown}`);
    for (const claim of c.claims.filter((x) => x.status !== 'failed' && x.status !== 'passed'))
      out.push(`– ${c.name}: ${claim.claim}: ${claim.status} (${claim.shown})`);
    for (const note of c.notes) out.push(`• ${c.name}: ${note}`);
  }
  const services = Object.entries(s.calls.byService)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  out.push(
    `AWS calls: ${s.calls.suite} by the suite (${services || 'none'}); ${s.calls.cliRuns} runs of the CLI (${Object.entries(s.calls.cliRunsByCommand)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}), whose own calls are not counted here`,
  );
  out.push(`Cost estimate: about US$${s.cost.estimateUsd.toFixed(3)} (${s.cost.basis}); ${s.minutes} min`);
  if (s.error) out.push(`Stopped: ${s.error}`);
  if (s.interrupted) out.push('Interrupted (Ctrl-C): the cases after the interruption did not run.');
  if (s.cleanup.kept) out.push('--keep: nothing was removed; run the teardown commands above to remove it.');
  else if (s.cleanup.problems.length === 0 && s.cleanup.leftover.length === 0) out.push(`Clean-up: everything named ${s.runId} removed; nothing left.`);
  for (const p of s.cleanup.problems) out.push(`✗ clean-up: ${p}`);
  for (const l of s.cleanup.leftover) out.push(`✗ left behind: ${l}`);
  out.push(s.ok ? 'Acceptance: no case failed.' : 'Acceptance: FAILED.');
  return out.join('\n');
}
