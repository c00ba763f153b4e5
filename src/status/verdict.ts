import type { AlarmState, MetricSeries, SampledObject, StatusReport, VerdictLevel } from './types.js';

/** RTC's promise: an object still pending after this long is late. */
const LATE_MS = 15 * 60 * 1000;
const LATENCY_LIMIT_SECONDS = 900;

const total = (series: MetricSeries[], metric: MetricSeries['metric']): number =>
  series.filter((s) => s.metric === metric).reduce((sum, s) => sum + s.points.reduce((a, p) => a + p.value, 0), 0);

const peak = (series: MetricSeries[], metric: MetricSeries['metric']): number =>
  Math.max(0, ...series.filter((s) => s.metric === metric).flatMap((s) => s.points.map((p) => p.value)));

/**
 * Pure: the one-line verdict. Failing: nothing replicates, an alarm fires, or sampled objects failed. Degraded: failures
 * or latency beyond 15 minutes earlier in the window, or objects pending longer than 15 minutes. Healthy otherwise.
 */
export function verdictOf(
  report: Pick<StatusReport, 'rules' | 'metrics' | 'alarms'> & { objects: { sampled: SampledObject[]; failed: string[] } },
  now: Date,
): { level: VerdictLevel; reason: string } {
  const firing = report.alarms.filter((a: AlarmState) => a.state === 'ALARM');
  if (report.rules.length === 0) return { level: 'failing', reason: 'the source bucket has no replication rule of this setup' };
  if (firing.length > 0) return { level: 'failing', reason: `alarm ${firing.map((a) => a.name).join(', ')} is firing` };
  if (report.objects.failed.length > 0) return { level: 'failing', reason: `${report.objects.failed.length} of the newest objects failed to replicate` };
  const failedOps = total(report.metrics, 'OperationsFailedReplication');
  if (failedOps > 0) return { level: 'degraded', reason: `${failedOps} replication operation(s) failed in the window, none sampled now` };
  const latency = peak(report.metrics, 'ReplicationLatency');
  if (latency > LATENCY_LIMIT_SECONDS)
    return { level: 'degraded', reason: `replication latency reached ${Math.round(latency / 60)} minutes (RTC promises 15)` };
  const late = report.objects.sampled.filter((o) => o.status === 'PENDING' && now.getTime() - Date.parse(o.lastModified) > LATE_MS);
  if (late.length > 0) return { level: 'degraded', reason: `${late.length} object(s) pending for more than 15 minutes` };
  const pending = report.objects.sampled.filter((o) => o.status === 'PENDING').length;
  return { level: 'healthy', reason: pending > 0 ? `no failures; ${pending} new object(s) on their way` : 'no failures, no alarm firing' };
}
