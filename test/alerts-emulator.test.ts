// Failure alerts against moto: the topic and its policy, email subscriptions, the source bucket's event notifications
// (merged with the user's queue, topic and EventBridge settings), the alarms, a re-run that changes nothing, verify
// catching drift with a remedy, and teardown removing only what the setup owns.
import { DeleteAlarmsCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, GetTopicAttributesCommand, ListTopicsCommand, SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { applyTeardown, prepareTeardown } from '../src/engine/teardown.js';
import type { RawOptions } from '../src/input/options.js';
import { alarmNameOf, alertTopicName, notificationIdOf } from '../src/plan/alert-names.js';
import { parsePolicy } from '../src/plan/compare.js';
import { setupNames } from '../src/plan/names.js';
import { verifySetup } from '../src/verify/index.js';
import { createVersionedBucket, useEngineEmulator } from './support/engine.js';
import { SEED_RAW } from './support/fixtures.js';
import { isWrite } from './support/record.js';

const { emu, prepare, run } = useEngineEmulator();

const ALERTS: RawOptions = { ...SEED_RAW, alertEmail: ['ops@example.com', 'oncall@example.com'] };
const setupId = () => setupNames({ source: { bucket: 'rubes-s3-bucket' }, destination: { bucket: 'clint-s3-bucket' } } as never, emu.accounts).setupId;
const topicArn = () => `arn:aws:sns:ap-southeast-1:${emu.accounts.source}:${alertTopicName(setupId())}`;

async function notification() {
  const { $metadata: _m, ...configuration } = await emu.clients('source').s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'rubes-s3-bucket' }));
  return configuration;
}

async function alarms() {
  const { MetricAlarms = [] } = await emu.clients('source').cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'replicate-setup-alerts-' }));
  return MetricAlarms;
}

async function verifyChecks(raw: RawOptions) {
  const { prepared, clients } = await prepare(raw);
  const report = await verifySetup(prepared, clients, { expectDenied: [], probes: [] }, () => undefined);
  return report;
}

describe('alerts on the emulator', () => {
  it('creates the topic with its policy, a subscription per address, the notification and both alarms (RTC), and turns rule metrics on', async () => {
    const r = await run(ALERTS);
    const actions = Object.fromEntries(r.steps.map((s) => [s.id, s.action]));
    const failed = alarmNameOf(setupId(), 'failed-operations');
    const latency = alarmNameOf(setupId(), 'latency');
    expect(actions).toMatchObject({
      'alert-topic': 'create',
      'alert-subscription:ops@example.com': 'create',
      'alert-subscription:oncall@example.com': 'create',
      'source-bucket-notification': 'create',
      [`alert-alarm:${failed}`]: 'create',
      [`alert-alarm:${latency}`]: 'create',
    });
    const { sns, cloudwatch: _cw } = emu.clients('source');
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn() }));
    const policy = parsePolicy(Attributes?.Policy)!;
    const s3Statement = policy.Statement.find((s) => JSON.stringify(s.Principal).includes('s3.amazonaws.com'))!;
    expect(s3Statement.Condition).toEqual({
      ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::rubes-s3-bucket' },
      StringEquals: { 'aws:SourceAccount': emu.accounts.source },
    });
    expect(policy.Statement.some((s) => JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'))).toBe(true);

    const config = await notification();
    expect(config.TopicConfigurations).toEqual([
      expect.objectContaining({
        Id: notificationIdOf(setupId()),
        TopicArn: topicArn(),
        Events: expect.arrayContaining(['s3:Replication:OperationFailedReplication', 's3:Replication:OperationMissedThreshold']),
      }),
    ]);

    const live = await alarms();
    expect(live.map((a) => a.AlarmName).sort()).toEqual([failed, latency].sort());
    const failedAlarm = live.find((a) => a.AlarmName === failed)!;
    expect(failedAlarm).toMatchObject({ Namespace: 'AWS/S3', MetricName: 'OperationsFailedReplication', Statistic: 'Sum', Threshold: 0, Period: 300 });
    expect(failedAlarm.TreatMissingData).toBe('notBreaching');
    expect(failedAlarm.AlarmActions).toEqual([topicArn()]);
    const ruleId = r.prepared.plan.changes.find((c) => c.kind === 'replication')!;
    const ourRuleId = (ruleId.kind === 'replication' ? ruleId.configuration.Rules : []).find((rule) => rule.ID?.includes(setupId()))!.ID;
    expect(failedAlarm.Dimensions?.map((d) => `${d.Name}=${d.Value}`).sort()).toEqual(
      [`DestinationBucket=clint-s3-bucket`, `RuleId=${ourRuleId}`, 'SourceBucket=rubes-s3-bucket'].sort(),
    );
    expect(live.find((a) => a.AlarmName === latency)).toMatchObject({ MetricName: 'ReplicationLatency', Statistic: 'Maximum', Threshold: 900 });
  });

  it('with --no-rtc: replication metrics on without ReplicationTime, the failure event and alarm only', async () => {
    const r = await run({ ...ALERTS, rtc: false });
    const sent = r.calls.find((c) => c.command === 'PutBucketReplication')!.input.ReplicationConfiguration as { Rules: { Destination: object }[] };
    const destination = sent.Rules[0]!.Destination as { Metrics?: object; ReplicationTime?: object };
    expect(destination.Metrics).toEqual({ Status: 'Enabled' });
    expect(destination.ReplicationTime).toBeUndefined();
    expect((await notification()).TopicConfigurations?.[0]?.Events).toEqual(['s3:Replication:OperationFailedReplication']);
    expect((await alarms()).map((a) => a.AlarmName)).toEqual([alarmNameOf(setupId(), 'failed-operations')]);
  });

  it("merges with the bucket's notification configuration: the user's queue and topic settings survive; a re-run is all no-op; teardown leaves them", async () => {
    const source = emu.clients('source');
    await createVersionedBucket(source.s3, 'rubes-s3-bucket', 'ap-southeast-1');
    const sqs = new SQSClient({ endpoint: emu.endpoint, region: 'ap-southeast-1', credentials: await source.s3.config.credentials() });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'uploads-queue' }));
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const { TopicArn: theirTopic } = await source.sns.send(new CreateTopicCommand({ Name: 'their-uploads' }));
    await source.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'rubes-s3-bucket',
        NotificationConfiguration: {
          QueueConfigurations: [{ Id: 'their-queue', QueueArn: queueArn, Events: ['s3:ObjectCreated:*'] }],
          TopicConfigurations: [{ Id: 'their-topic', TopicArn: theirTopic, Events: ['s3:ObjectRemoved:*'] }],
          EventBridgeConfiguration: {},
        },
      }),
    );
    const first = await run(ALERTS);
    expect(first.steps.find((s) => s.id === 'source-bucket-notification')?.action).toBe('create');
    const config = await notification();
    expect(config.QueueConfigurations).toEqual([expect.objectContaining({ Id: 'their-queue', QueueArn: queueArn, Events: ['s3:ObjectCreated:*'] })]);
    expect(config.TopicConfigurations?.map((t) => t.Id).sort()).toEqual(['their-topic', notificationIdOf(setupId())].sort());
    // moto never echoes EventBridgeConfiguration: test/alerts-pure.test.ts proves it (and Lambda) survive on AWS's read-back.

    const again = await run(ALERTS);
    const notNoOp = again.steps.filter((s) => s.action !== 'no-op').map((s) => `${s.id}: ${s.action}`);
    expect(notNoOp).toEqual([]);
    expect(again.calls.filter(isWrite)).toEqual([]);

    // Teardown takes out only this setup's entry, alarms and topic.
    const { clients } = await prepare(ALERTS);
    const prepared = await prepareTeardown(r0(first).input, clients, { deleteBuckets: false, deleteObjects: false, deleteKeys: false }, () => undefined);
    await applyTeardown(prepared, clients, () => undefined);
    const after = await notification();
    expect(after.QueueConfigurations?.map((q) => q.Id)).toEqual(['their-queue']);
    expect(after.TopicConfigurations?.map((t) => t.Id)).toEqual(['their-topic']);
    expect(await alarms()).toEqual([]);
    const { Topics = [] } = await source.sns.send(new ListTopicsCommand({}));
    expect(Topics.map((t) => t.TopicArn)).toEqual([theirTopic]);
  });
});

const r0 = <T>(r: T): T => r;

describe('verify catches alert drift, each with a remedy', () => {
  it('a removed notification, a deleted alarm and a topic policy that no longer lets S3 publish', async () => {
    await run(ALERTS);
    const source = emu.clients('source');
    const clean = await verifyChecks(ALERTS);
    const alertChecks = clean.checks.filter((c) => c.id.startsWith('alerts.'));
    expect(alertChecks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(alertChecks.length).toBeGreaterThanOrEqual(6);

    await source.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'rubes-s3-bucket', NotificationConfiguration: {} }));
    await source.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [alarmNameOf(setupId(), 'failed-operations')] }));
    const ownerOnly = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'OwnerOnly', Effect: 'Allow', Principal: { AWS: emu.accounts.source }, Action: 'SNS:Publish', Resource: topicArn() }],
    };
    await source.sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn(), AttributeName: 'Policy', AttributeValue: JSON.stringify(ownerOnly) }));

    const report = await verifyChecks(ALERTS);
    const failed = Object.fromEntries(report.checks.filter((c) => c.status === 'fail').map((c) => [c.id, c]));
    expect(report.ok).toBe(false);
    for (const id of ['alerts.notification', `alerts.alarm:${alarmNameOf(setupId(), 'failed-operations')}`, 'alerts.topic-policy.s3']) {
      expect(failed[id], id).toBeDefined();
      expect(failed[id]!.remedy).toMatch(/replicate-setup wizard/);
    }
    expect(failed['alerts.topic-policy.s3']!.message).toMatch(/does not let S3/);
  });
});
