/** What `status` reports about one setup: everything the views draw and the verdict is judged from. */

export type MetricName = 'ReplicationLatency' | 'OperationsPendingReplication' | 'BytesPendingReplication' | 'OperationsFailedReplication';

export interface MetricSeries {
  metric: MetricName;
  /** The rule whose dimension it is. */
  ruleId: string;
  statistic: 'Maximum' | 'Sum';
  unit: 'seconds' | 'operations' | 'bytes';
  /** Oldest first. */
  points: { at: string; value: number }[];
}

export type ReplicationStatus = 'COMPLETED' | 'PENDING' | 'FAILED' | 'REPLICA' | 'none';

export interface SampledObject {
  key: string;
  lastModified: string;
  status: ReplicationStatus;
}

export interface AlarmState {
  name: string;
  metric: string;
  state: string;
  reason?: string;
}

export type VerdictLevel = 'healthy' | 'degraded' | 'failing';

export interface StatusReport {
  verdict: { level: VerdictLevel; reason: string };
  source: { bucket: string; region: string };
  destination: { bucket: string };
  /** This setup's rule IDs on the source bucket (none: nothing replicates). */
  rules: string[];
  window: { from: string; to: string; periodSeconds: number };
  metrics: MetricSeries[];
  alarms: AlarmState[];
  objects: { sampled: SampledObject[]; counts: Record<ReplicationStatus, number>; failed: string[] };
}
