import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { describeAlarms } from '../aws/alerts.js';
import * as ops from '../aws/catalogue.js';
import type { AwsClients } from '../aws/clients.js';
import { call } from '../aws/errors.js';
import { send } from '../aws/send.js';
import type { EventSink } from '../engine/events.js';
import { readLiveState } from '../engine/read-live.js';
import type { SetupInput } from '../input/types.js';
import { alarmListingPrefix, isAlarmOfSetup } from '../plan/alert-names.js';
import { documentContext } from '../plan/context.js';
import { ruleOwner } from '../plan/ownership.js';
import type { MetricName, MetricSeries, ReplicationStatus, SampledObject, StatusReport } from './types.js';
import { verdictOf } from './verdict.js';

export interface StatusOptions {
  sinceMs: number;
  sample: number;
  now: Date;
}

const METRICS: { metric: MetricName; statistic: MetricSeries['statistic']; unit: MetricSeries['unit'] }[] = [
  { metric: 'ReplicationLatency', statistic: 'Maximum', unit: 'seconds' },
  { metric: 'OperationsPendingReplication', statistic: 'Maximum', unit: 'operations' },
  { metric: 'BytesPendingReplication', statistic: 'Maximum', unit: 'bytes' },
  { metric: 'OperationsFailedReplication', statistic: 'Sum', unit: 'operations' },
];

/** The newest objects are found among at most this many keys (ListObjectsV2 lists by name, not by date). */
const LISTED_KEYS_LIMIT = 1000;
const CONCURRENT_HEADS = 8;

/** Five-minute points for a day, hourly ones beyond: about 300 points at most either way. */
export const periodFor = (sinceMs: number): number => (sinceMs <= 24 * 3600 * 1000 ? 300 : 3600);

/**
 * Reads the health of a setup now, read-only: the setup's rules on the source bucket, its CloudWatch replication
 * metrics over the window, the state of its alarms, and the replication status of the newest source objects.
 */
export async function gatherStatus(input: SetupInput, clients: AwsClients, options: StatusOptions, events: EventSink): Promise<StatusReport> {
  const { accounts, live } = await readLiveState(input, clients, events, { batchParts: true });
  events({ type: 'phase', phase: 'verify', message: 'Reading metrics, alarms and the newest objects' });
  const ctx = documentContext(input, accounts, live);
  const owns = ruleOwner(ctx);
  const rules = (live.source.replication?.Rules ?? []).filter((rule) => owns(rule)).flatMap((rule) => (rule.ID ? [rule.ID] : []));
  const { profile, cloudwatch, s3 } = clients.source;
  const read = <T>(doing: string, run: () => Promise<T>): Promise<T> => call({ doing, profile }, run);
  const periodSeconds = periodFor(options.sinceMs);
  const from = new Date(options.now.getTime() - options.sinceMs);
  const [metrics, alarms, sampled] = await Promise.all([
    read('reading the replication metrics', () => readMetrics(cloudwatch, input, rules, from, options.now, periodSeconds)),
    read('reading the alarms of this setup', () => describeAlarms(cloudwatch, alarmListingPrefix(ctx.names.setupId))),
    live.source.ownership === 'ours' ? read(`reading the newest objects of ${input.source.bucket}`, () => sampleObjects(s3, input, options.sample)) : [],
  ]);
  const counts: Record<ReplicationStatus, number> = { COMPLETED: 0, PENDING: 0, FAILED: 0, REPLICA: 0, none: 0 };
  for (const object of sampled) counts[object.status] += 1;
  const failed = sampled.filter((o) => o.status === 'FAILED').map((o) => o.key);
  const alarmStates = alarms
    .filter((alarm) => isAlarmOfSetup(ctx.names.setupId, alarm.definition.AlarmName))
    .map((alarm) => ({
      name: alarm.definition.AlarmName,
      metric: alarm.definition.MetricName,
      state: alarm.state ?? 'INSUFFICIENT_DATA',
      ...(alarm.stateReason ? { reason: alarm.stateReason } : {}),
    }));
  const objects = { sampled, counts, failed };
  return {
    verdict: verdictOf({ rules, metrics, alarms: alarmStates, objects }, options.now),
    source: { bucket: input.source.bucket, region: input.source.region },
    destination: { bucket: input.destination.bucket },
    rules,
    window: { from: from.toISOString(), to: options.now.toISOString(), periodSeconds },
    metrics,
    alarms: alarmStates,
    objects,
  };
}

async function readMetrics(
  cloudwatch: AwsClients['source']['cloudwatch'],
  input: SetupInput,
  rules: string[],
  from: Date,
  to: Date,
  period: number,
): Promise<MetricSeries[]> {
  const wanted = rules.flatMap((ruleId) => METRICS.map((m) => ({ ...m, ruleId })));
  if (wanted.length === 0) return [];
  const queries: MetricDataQuery[] = wanted.map((m, i) => ({
    Id: `m${i}`,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/S3',
        MetricName: m.metric,
        Dimensions: [
          { Name: 'SourceBucket', Value: input.source.bucket },
          { Name: 'DestinationBucket', Value: input.destination.bucket },
          { Name: 'RuleId', Value: m.ruleId },
        ],
      },
      Period: period,
      Stat: m.statistic,
    },
  }));
  const points = new Map<string, { at: string; value: number }[]>();
  let token: string | undefined;
  do {
    const page = await send(cloudwatch, ops.cloudwatch.GetMetricData, {
      MetricDataQueries: queries,
      StartTime: from,
      EndTime: to,
      ScanBy: 'TimestampAscending',
      ...(token ? { NextToken: token } : {}),
    });
    for (const result of page.MetricDataResults ?? []) {
      const list = points.get(result.Id ?? '') ?? [];
      (result.Timestamps ?? []).forEach((t, i) => {
        list.push({ at: new Date(t).toISOString(), value: result.Values?.[i] ?? 0 });
      });
      points.set(result.Id ?? '', list);
    }
    token = page.NextToken;
  } while (token);
  return wanted.map((m, i) => ({ ...m, points: (points.get(`m${i}`) ?? []).sort((a, b) => a.at.localeCompare(b.at)) }));
}

async function sampleObjects(s3: AwsClients['source']['s3'], input: SetupInput, sample: number): Promise<SampledObject[]> {
  if (sample <= 0) return [];
  const listed: { key: string; lastModified: Date }[] = [];
  let token: string | undefined;
  do {
    const page = await send(s3, ops.s3.ListObjectsV2, {
      Bucket: input.source.bucket,
      ...(input.prefix ? { Prefix: input.prefix } : {}),
      ...(token ? { ContinuationToken: token } : {}),
    });
    for (const object of page.Contents ?? []) if (object.Key) listed.push({ key: object.Key, lastModified: object.LastModified ?? new Date(0) });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token && listed.length < LISTED_KEYS_LIMIT);
  const newest = listed.sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime()).slice(0, sample);
  const sampled: SampledObject[] = [];
  for (let i = 0; i < newest.length; i += CONCURRENT_HEADS) {
    const batch = newest.slice(i, i + CONCURRENT_HEADS);
    const heads = await Promise.all(batch.map((o) => send(s3, ops.s3.HeadObject, { Bucket: input.source.bucket, Key: o.key })));
    batch.forEach((o, j) => {
      // S3 says COMPLETE or COMPLETED depending on the API version; one word here.
      const raw = heads[j]?.ReplicationStatus as string | undefined;
      const status = (raw === 'COMPLETE' ? 'COMPLETED' : raw) as ReplicationStatus | undefined;
      sampled.push({ key: o.key, lastModified: o.lastModified.toISOString(), status: status ?? 'none' });
    });
  }
  return sampled;
}
