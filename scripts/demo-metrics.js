// For the demo's `status` screen: replication metrics as S3 would publish them for the setup's rule over the last
// day (moto replicates nothing, so it publishes none), a few objects, and the alarms set to OK as CloudWatch would.
import { DescribeAlarmsCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { GetBucketReplicationCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { emulatorClients } from '../dist/emulator/accounts.js';

export async function seedDemoMetrics(emulator, bucket, destination) {
  const { s3, cloudwatch } = emulatorClients(emulator.endpoint, emulator.regions.source, emulator.credentials.source);
  const { ReplicationConfiguration } = await s3.send(new GetBucketReplicationCommand({ Bucket: bucket }));
  const now = Date.now();
  for (const rule of ReplicationConfiguration?.Rules ?? []) {
    const Dimensions = [
      { Name: 'SourceBucket', Value: bucket },
      { Name: 'DestinationBucket', Value: destination },
      { Name: 'RuleId', Value: rule.ID },
    ];
    // A day of 5-minute points: latency that climbs in the afternoon, a short backlog, no failures.
    const points = Array.from({ length: 288 }, (_, i) => ({ at: new Date(now - (287 - i) * 300_000), hour: (i / 12) % 24 }));
    for (let i = 0; i < points.length; i += 20) {
      const MetricData = points.slice(i, i + 20).flatMap(({ at, hour }) => [
        { MetricName: 'ReplicationLatency', Dimensions, Timestamp: at, Unit: 'Seconds', Value: Math.round(40 + 120 * Math.max(0, Math.sin((hour - 10) / 4))) },
        { MetricName: 'OperationsPendingReplication', Dimensions, Timestamp: at, Unit: 'Count', Value: Math.round(6 * Math.max(0, Math.sin((hour - 11) / 3))) },
        {
          MetricName: 'BytesPendingReplication',
          Dimensions,
          Timestamp: at,
          Unit: 'Bytes',
          Value: Math.round(2_000_000 * Math.max(0, Math.sin((hour - 11) / 3))),
        },
        { MetricName: 'OperationsFailedReplication', Dimensions, Timestamp: at, Unit: 'Count', Value: 0 },
      ]);
      await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/S3', MetricData }));
    }
  }
  for (const key of ['reports/2030-01-01.csv', 'reports/2030-01-02.csv', 'logs/app.log']) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `demo ${key}` }));
  }
  const { MetricAlarms = [] } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'replicate-setup-alerts-' }));
  for (const alarm of MetricAlarms) {
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarm.AlarmName, StateValue: 'OK', StateReason: 'demo: no failure in the last 5 minutes' }));
  }
}
