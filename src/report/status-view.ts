import { plot } from 'asciichart';
import type { ChalkInstance } from 'chalk';
import type { MetricSeries, StatusReport } from '../status/types.js';

/**
 * `status` as a person reads it: the verdict first, then one small chart per metric at a terminal (asciichart: a
 * well-kept, dependency-free line plotter), plain figures otherwise, then the alarms and the newest objects.
 */
export interface StatusViewOptions {
  color: ChalkInstance;
  charts: boolean;
  /** Columns available for a chart. */
  width: number;
}

const LABELS: Record<MetricSeries['metric'], string> = {
  ReplicationLatency: 'Replication latency (max, seconds)',
  OperationsPendingReplication: 'Operations pending (max)',
  BytesPendingReplication: 'Bytes pending (max)',
  OperationsFailedReplication: 'Failed operations (sum)',
};

const figure = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** Evenly picked points, so a day of 5-minute points fits the width of a terminal. */
function fitToWidth(values: number[], width: number): number[] {
  if (values.length <= width) return values;
  const step = values.length / width;
  return Array.from({ length: width }, (_, i) => Math.max(...values.slice(Math.floor(i * step), Math.floor((i + 1) * step))));
}

export function renderMetric(series: MetricSeries, options: StatusViewOptions, ruleCount: number): string {
  const values = series.points.map((p) => p.value);
  const title = `${LABELS[series.metric]}${ruleCount > 1 ? ` · ${series.ruleId}` : ''}`;
  if (values.length === 0) return `${title}: no data in the window`;
  const latest = values.at(-1)!;
  const summary =
    series.statistic === 'Sum' ? `total ${figure(values.reduce((a, b) => a + b, 0))}` : `latest ${figure(latest)}, highest ${figure(Math.max(...values))}`;
  if (!options.charts || values.length < 2) return `${title}: ${summary} (${values.length} points)`;
  const chart = plot(fitToWidth(values, Math.max(10, options.width - 14)), { height: 4, format: (v: number) => figure(v).padStart(8) });
  return `${title}: ${summary}\n${chart}`;
}

export function renderStatus(report: StatusReport, options: StatusViewOptions): string {
  const { color } = options;
  const paint = { healthy: color.green, degraded: color.yellow, failing: color.red }[report.verdict.level];
  const lines = [
    `${paint.bold(report.verdict.level.toUpperCase())}: ${report.verdict.reason}`,
    color.dim(
      `${report.source.bucket} (${report.source.region}) → ${report.destination.bucket} · ${report.window.from.slice(0, 16)}Z to ${report.window.to.slice(0, 16)}Z, ${report.window.periodSeconds / 60}-minute points`,
    ),
    '',
  ];
  if (report.rules.length === 0) lines.push('No replication rule of this setup on the source bucket: run `replicate-setup wizard` with the same flags.');
  for (const series of report.metrics) lines.push(renderMetric(series, options, report.rules.length), '');
  lines.push(color.bold('Alarms'));
  if (report.alarms.length === 0) lines.push('  none (add --alert-email or --alert-topic to the wizard to have them)');
  for (const alarm of report.alarms) {
    const state = alarm.state === 'ALARM' ? color.red(alarm.state) : alarm.state === 'OK' ? color.green(alarm.state) : color.dim(alarm.state);
    lines.push(`  ${state.padEnd(18)} ${alarm.name} (${alarm.metric})`);
  }
  const { counts, sampled, failed } = report.objects;
  lines.push('', color.bold(`Newest ${sampled.length} object(s) of ${report.source.bucket}`));
  const parts = (['COMPLETED', 'PENDING', 'FAILED', 'REPLICA', 'none'] as const).filter((s) => counts[s] > 0).map((s) => `${s} ${counts[s]}`);
  lines.push(`  ${parts.length > 0 ? parts.join(' · ') : 'the bucket is empty'}`);
  for (const key of failed) lines.push(`  ${color.red('FAILED')} ${key}`);
  return lines.join('\n');
}

/** The same report as numbers, for --json. */
export const statusJson = (report: StatusReport): Record<string, unknown> => ({ command: 'status', ok: report.verdict.level !== 'failing', ...report });
