// The pure alert planners: merging the source bucket's notification configuration as AWS returns it (moto never
// echoes EventBridgeConfiguration, so this is where Lambda and EventBridge settings are proven to survive), input checks.
import type { NotificationConfiguration } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { alertProblems } from '../src/input/validate-alerts.js';
import { alarmDefinitions, alertTopicArn, mergeNotification, ourTopicConfiguration } from '../src/plan/alert-documents.js';
import { notificationIdOf } from '../src/plan/alert-names.js';
import { bucketNotificationSteps } from '../src/plan/alert-steps.js';
import { documentContext } from '../src/plan/context.js';
import { replicationRules } from '../src/plan/replication-rules.js';
import { SEED_ACCOUNTS, SEED_RAW, seedInput } from './support/fixtures.js';

const AWS_READ_BACK: NotificationConfiguration = {
  TopicConfigurations: [{ Id: 'their-topic', TopicArn: 'arn:aws:sns:ap-southeast-1:111111111111:theirs', Events: ['s3:ObjectRemoved:*'] }],
  QueueConfigurations: [
    {
      Id: 'their-queue',
      QueueArn: 'arn:aws:sqs:ap-southeast-1:111111111111:q',
      Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } },
    },
  ],
  LambdaFunctionConfigurations: [
    { Id: 'their-lambda', LambdaFunctionArn: 'arn:aws:lambda:ap-southeast-1:111111111111:function:f', Events: ['s3:ObjectCreated:Put'] },
  ],
  EventBridgeConfiguration: {},
};

const input = seedInput({ alerts: { emails: ['ops@example.com'] } });
const live = { role: { name: 'r', arn: 'arn:aws:iam::111111111111:role/s3_replication_role', exists: true } } as const;
const ctx = documentContext(input, SEED_ACCOUNTS, live);

describe('notification merge (AWS read-back, as moto cannot echo it)', () => {
  it("keeps every topic, queue (with its filter), Lambda and EventBridge setting of the bucket's and adds this setup's entry", () => {
    const ours = ourTopicConfiguration(ctx, alertTopicArn(ctx));
    const merged = mergeNotification(ctx.names.setupId, AWS_READ_BACK, ours);
    expect(merged.QueueConfigurations).toEqual(AWS_READ_BACK.QueueConfigurations);
    expect(merged.LambdaFunctionConfigurations).toEqual(AWS_READ_BACK.LambdaFunctionConfigurations);
    expect(merged.EventBridgeConfiguration).toEqual({});
    expect(merged.TopicConfigurations).toEqual([AWS_READ_BACK.TopicConfigurations![0], ours]);
    // Taking ours out gives back exactly what the bucket had.
    expect(mergeNotification(ctx.names.setupId, merged, undefined)).toEqual(AWS_READ_BACK);
  });

  it('an entry of another setup (another setup id) is not ours: it is kept, and ours is added beside it', () => {
    const other = {
      Id: notificationIdOf('0123456789ab'),
      TopicArn: 'arn:aws:sns:ap-southeast-1:111111111111:x',
      Events: ['s3:Replication:OperationFailedReplication' as const],
    };
    const pc = {
      documents: ctx,
      live: { alerts: { topic: { arn: '', exists: true, ours: true }, subscriptions: [], notification: { TopicConfigurations: [other] }, alarms: [] } },
      options: { replicationEchoIsFaithful: true },
      notes: [],
    } as never;
    const [step] = bucketNotificationSteps(pc);
    expect(step!.action).toBe('create');
    expect(step!.configuration.TopicConfigurations?.map((t) => t.Id)).toEqual([other.Id, notificationIdOf(ctx.names.setupId)]);
  });
});

describe('alarms per rule', () => {
  it('one failed-operations alarm per uploader rule (no RTC), each with that rule ID as its RuleId dimension', () => {
    const c = documentContext(seedInput({ rtc: false, uploaders: ['alice', 'bob'], alerts: { emails: [] } }), SEED_ACCOUNTS, live);
    const alarms = alarmDefinitions(c, alertTopicArn(c));
    expect(alarms.map((a) => a.AlarmName)).toEqual([
      `replicate-setup-alerts-${c.names.setupId}-failed-operations-alice`,
      `replicate-setup-alerts-${c.names.setupId}-failed-operations-bob`,
    ]);
    expect(alarms.map((a) => a.Dimensions.find((d) => d.Name === 'RuleId')!.Value)).toEqual(replicationRules(c).map((r) => r.ID));
    expect(replicationRules(c).every((r) => r.Destination.Metrics?.Status === 'Enabled' && !r.Destination.ReplicationTime)).toBe(true);
  });
});

describe('alert input', () => {
  it('names the flag and what is allowed', () => {
    const problems = alertProblems(
      { ...SEED_RAW, alertEmail: ['not-an-address', 'a@b.io', 'a@b.io'], alertTopic: 'arn:aws:sns:us-east-1:111111111111:t' },
      'ap-southeast-1',
    );
    expect(problems.map((p) => p.flag)).toEqual(['--alert-email', '--alert-email', '--alert-topic']);
    expect(problems[0]!.message).toMatch(/not an email address/);
    expect(problems[2]!.message).toMatch(/only a topic in the source bucket's region \(ap-southeast-1\)/);
    expect(alertProblems({ ...SEED_RAW, alertTopic: 'arn:aws:sns:ap-southeast-1:111111111111:t.fifo' }, 'ap-southeast-1')[0]!.message).toMatch(/FIFO/);
  });
});
