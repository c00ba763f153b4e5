// Summaries and the printed table of the benchmark. Pure: numbers in, text out.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median, min and max of the timed runs (ms), and the largest peak memory among them (MiB). */
export function summarize(runs) {
  const wall = runs.map((run) => run.wallMs);
  return {
    medianMs: round(median(wall)),
    minMs: round(Math.min(...wall)),
    maxMs: round(Math.max(...wall)),
    runsMs: wall.map((ms) => round(ms)),
    peakRssMiB: round(Math.max(...runs.map((run) => run.peakRssKiB)) / 1024),
    ...medianOf(runs, 'cpuMs', 'cpuMedianMs'),
    ...medianOf(runs, 'emulatorCpuMs', 'emulatorCpuMedianMs'),
    exitCodes: [...new Set(runs.map((run) => run.exitCode))],
  };
}

/** `{ [as]: median of runs[field] }` when every run has that field, else nothing. */
function medianOf(runs, field, as) {
  return runs.every((run) => typeof run[field] === 'number') ? { [as]: round(median(runs.map((run) => run[field]))) } : {};
}

/** A/B of each pair of runs (A and B timed back to back), and their median. */
export function pairRatios(runsA, runsB) {
  const perPair = runsA.map((a, i) => round(a.wallMs / runsB[i].wallMs, 4));
  const medianRatio = round(median(perPair), 4);
  return { perPair, median: medianRatio, timesFaster: round(1 / medianRatio, 1) };
}

const round = (value, digits = 1) => Number(value.toFixed(digits));

export function seconds(ms) {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;
}

const spread = (s) => `${seconds(s.medianMs)} (${seconds(s.minMs).replace(' s', '')}–${seconds(s.maxMs)})`;

function table(header, rows) {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => String(row[i] ?? '').length)));
  const line = (row) =>
    row
      .map((cell, i) => String(cell ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function timingCells(row) {
  if (row.unavailable) return [row.label, row.unavailable, '', '', row.target ?? ''];
  const a = spread(row.A) + (row.A.exitCodes.some((code) => code !== 0) ? ` exit ${row.A.exitCodes.join('/')}` : '');
  if (!row.B) return [row.label, a, row.skippedB ?? 'no AWS CLI counterpart', '', row.target ?? ''];
  const verdict = row.goalTimesFaster ? (row.ratio.timesFaster >= row.goalTimesFaster ? 'met' : 'not met') : '';
  const pairs = row.ratio.perPair.length > 1 ? `; pairs ${Math.min(...row.ratio.perPair)}–${Math.max(...row.ratio.perPair)}` : '';
  return [row.label, a, spread(row.B), `${row.ratio.median} (${row.ratio.timesFaster}× faster${pairs})`, `${row.target} ${verdict}`.trim()];
}

const services = (byService) =>
  Object.entries(byService)
    .map(([service, count]) => `${service} ${count}`)
    .join(', ');

/** CPU time of the run (median), and the emulator's during it where measured. */
const cpuCell = (summary) =>
  summary.cpuMedianMs === undefined
    ? ''
    : `${seconds(summary.cpuMedianMs)}${summary.emulatorCpuMedianMs === undefined ? '' : ` / ${seconds(summary.emulatorCpuMedianMs)}`}`;

/** One line per side: memory, calls, how sequential they were, and how much of the run they took. */
function resourceLines(row) {
  return ['A', 'B']
    .filter((side) => row[side])
    .map((side) => {
      const calls = row.calls?.[side];
      return [
        side === 'A' ? row.label : '',
        side,
        `${row[side].peakRssMiB} MiB`,
        calls ? `${calls.total} = ${calls.reads} reads + ${calls.writes} writes (${services(calls.byService)})` : '',
        calls ? `${calls.sequential} (writes alone ${calls.sequentialWrites}); up to ${calls.peakConcurrency} at once` : '',
        calls ? `${seconds(calls.callSpanMs)} of ${seconds(calls.runMs)}` : '',
        cpuCell(row[side]),
      ];
    });
}

/** The text printed at the end of `npm run bench`. */
export function renderReport(result) {
  const { machine, settings, rows, notMeasured, notes } = result;
  const cliName = machine.awsCli ? `AWS CLI ${machine.awsCli.version} (B)` : 'AWS CLI (B)';
  const out = [];
  out.push(
    `Machine: ${machine.cpuModel}, ${machine.cpus} CPUs, ${machine.memoryGiB} GiB; ${machine.os}; Node ${machine.node}; ` +
      `moto ${machine.moto}; ${machine.awsCli ? `${machine.awsCli.banner} at ${machine.awsCli.path}` : 'no AWS CLI'}`,
  );
  out.push(`Load average (1 min) at start ${machine.loadAverage.start}, at end ${machine.loadAverage.end}: figures are only comparable on a quiet machine.`);
  out.push(
    `Runs: ${settings.warmup} warm-up + ${settings.runs} timed of each side, the sides taking turns (A, B, A, B, …), moto reset and both accounts re-created before every run.`,
  );
  out.push('');
  out.push(
    table(['measure', 'replicate-setup (A): median (min–max)', `${cliName}: median (min–max)`, 'A/B, median of pairs', 'target'], rows.map(timingCells)),
  );
  out.push('');
  const measured = rows.filter((row) => !row.unavailable);
  out.push(
    table(
      ['measure', 'side', 'peak RSS', 'AWS calls', 'sequential round trips', 'calls span / whole run', 'CPU: process / emulator'],
      measured.flatMap(resourceLines),
    ),
  );
  for (const item of notMeasured) out.push(`Not measured: ${item.row}: ${item.why}`);
  for (const note of notes) out.push(`Note: ${note}`);
  return out.join('\n');
}
