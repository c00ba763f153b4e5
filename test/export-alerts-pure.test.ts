// The export of failure alerts and Batch Replication's bucket, from the pure planner (no emulator): the live state is
// built here, including a source bucket whose notification configuration has a queue (with a key filter), a Lambda
// function and EventBridge, which moto never echoes. Terraform is read back with HashiCorp's parser and formatter,
// CloudFormation linted by cfn-lint.
import type { NotificationConfiguration } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportSetup } from '../src/export/index.js';
import type { SetupInput } from '../src/input/types.js';
import { planChanges } from '../src/kinds/planner.js';
import { alertTopicArn } from '../src/plan/alert-documents.js';
import type { LiveAlerts } from '../src/plan/alert-types.js';
import type { ChangeOf } from '../src/plan/changes.js';
import { documentContext } from '../src/plan/context.js';
import type { LiveState } from '../src/plan/live.js';
import type { PreparedSetup } from '../src/plan/prepared.js';
import { anchorsAndAliases, checkTerraform, lintCloudFormation } from './support/export-checks.js';
import { SEED_ACCOUNTS, seedInput } from './support/fixtures.js';
import { type ParsedHcl, ref } from './support/hcl.js';
import { freshLive } from './support/simulate.js';

const THEIRS: NotificationConfiguration = {
  QueueConfigurations: [
    {
      Id: 'their-queue',
      QueueArn: 'arn:aws:sqs:ap-southeast-1:111111111111:q',
      Events: ['s3:ObjectCreated:*'],
      // S3 returns the rule name capitalised, whatever the SDK's type says.
      Filter: { Key: { FilterRules: [{ Name: 'Prefix' as 'prefix', Value: 'in/' }] } },
    },
  ],
  LambdaFunctionConfigurations: [
    { Id: 'their-lambda', LambdaFunctionArn: 'arn:aws:lambda:ap-southeast-1:111111111111:function:f', Events: ['s3:ObjectCreated:Put'] },
  ],
  EventBridgeConfiguration: {},
};
const GIVEN_TOPIC = 'arn:aws:sns:ap-southeast-1:111111111111:ops-alerts';
const THEIR_STATEMENT = {
  Sid: 'TheirPublisher',
  Effect: 'Allow' as const,
  Principal: { AWS: 'arn:aws:iam::111111111111:root' },
  Action: 'SNS:Publish',
  Resource: GIVEN_TOPIC,
};

function prepared(input: SetupInput, alerts: (topicArn: string) => LiveAlerts, extra: Partial<LiveState> = {}): PreparedSetup {
  const base = freshLive(input, SEED_ACCOUNTS);
  const live: LiveState = { ...base, alerts: alerts(alertTopicArn(documentContext(input, SEED_ACCOUNTS, base))), ...extra };
  return { input, accounts: SEED_ACCOUNTS, live, plan: planChanges(input, SEED_ACCOUNTS, live, { replicationEchoIsFaithful: true }) };
}
const fresh =
  (notification: NotificationConfiguration = {}) =>
  (arn: string): LiveAlerts => ({
    topic: { arn, exists: false, ours: true },
    subscriptions: [],
    notification,
    alarms: [],
  });
const changes = <K extends ChangeOf<'alarm'>['kind'] | 'bucket-notification'>(p: PreparedSetup, kind: K) =>
  p.plan.changes.filter((c) => c.kind === kind) as unknown as ChangeOf<K>[];

/** The Terraform notification's entries back in the S3 API's shape, the topic reference in place of the topic's ARN. */
function notificationOf(parsed: ParsedHcl, topicArn: string): NotificationConfiguration {
  const body = parsed.resource.aws_s3_bucket_notification!.source![0]! as Record<string, Record<string, unknown>[] | undefined>;
  const filter = (e: Record<string, unknown>) =>
    e.filter_prefix === undefined ? {} : { Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: e.filter_prefix }] } } };
  const arn = (value: unknown) => (value === ref('aws_sns_topic.alerts.arn') ? topicArn : value);
  return {
    ...(body.queue ? { QueueConfigurations: body.queue.map((e) => ({ Id: e.id, QueueArn: e.queue_arn, Events: e.events, ...filter(e) })) } : {}),
    ...(body.lambda_function
      ? { LambdaFunctionConfigurations: body.lambda_function.map((e) => ({ Id: e.id, LambdaFunctionArn: e.lambda_function_arn, Events: e.events })) }
      : {}),
    ...((body.eventbridge as unknown) === true ? { EventBridgeConfiguration: {} } : {}),
    ...(body.topic ? { TopicConfigurations: body.topic.map((e) => ({ Id: e.id, TopicArn: arn(e.topic_arn), Events: e.events })) } : {}),
  } as NotificationConfiguration;
}

const ALERT_CASES: [string, SetupInput][] = [
  ['RTC', seedInput({ alerts: { emails: ['ops@example.com', 'oncall@example.com'] } })],
  ['--no-rtc', seedInput({ rtc: false, alerts: { emails: ['ops@example.com'] } })],
  ['uploaders (an alarm per rule)', seedInput({ prefix: 'incidents/', uploaders: ['alice', 'bob'], alerts: { emails: ['ops@example.com'] } })],
];

describe('export of failure alerts (the setup’s own topic)', () => {
  it.each(ALERT_CASES)('%s: Terraform topic policy equals the plan’s, notification and alarms as planned, canonical format', async (_name, input) => {
    const p = prepared(input, fresh(THEIRS));
    const { parsed, text } = await checkTerraform(p);
    const topic = p.plan.changes.find((c) => c.kind === 'sns-topic')!;
    expect(parsed.resource.aws_sns_topic!.alerts![0]!.name).toBe(topic.topicArn.split(':').pop());
    expect(parsed.resource.aws_sns_topic_policy!.alerts![0]!.arn).toBe(ref('aws_sns_topic.alerts.arn'));
    const subscriptions = Object.values(parsed.resource.aws_sns_topic_subscription!).map(([s]) => [s!.protocol, s!.endpoint, s!.topic_arn]);
    // hcl2json lists blocks by name, sorted.
    expect(subscriptions.sort()).toEqual([...input.alerts!.emails].sort().map((email) => ['email', email, ref('aws_sns_topic.alerts.arn')]));
    expect(text).toContain('confirmation link');
    const [notification] = changes(p, 'bucket-notification');
    expect(notificationOf(parsed, topic.topicArn)).toEqual(notification!.configuration);
    expect(text).toContain("holds the bucket's other notifications too");
    const alarms = changes(p, 'alarm')
      .map((c) => c.definition)
      .sort((a, b) => a.AlarmName.localeCompare(b.AlarmName));
    expect(alarms.length).toBe((input.uploaders.length || 1) * (input.rtc ? 2 : 1));
    const exported = Object.values(parsed.resource.aws_cloudwatch_metric_alarm!)
      .map(([a]) => a!)
      .sort((a, b) => String(a.alarm_name).localeCompare(String(b.alarm_name)));
    expect(exported.map((a) => [a.alarm_name, a.dimensions, a.statistic, a.threshold, a.treat_missing_data, a.alarm_actions])).toEqual(
      alarms.map((d) => [
        d.AlarmName,
        Object.fromEntries(d.Dimensions.map((x) => [x.Name, x.Value])),
        d.Statistic,
        d.Threshold,
        d.TreatMissingData,
        [ref('aws_sns_topic.alerts.arn')],
      ]),
    );
    // Nothing exists yet but the bucket's notification configuration (the queue, Lambda and EventBridge): adopted.
    expect((parsed.import ?? []).map((i) => i.to)).toEqual([ref('aws_s3_bucket_notification.source')]);
  });

  it.each(ALERT_CASES)('%s: the source template passes cfn-lint with the topic, its policy, subscriptions, alarms and notifications', async (_name, input) => {
    const p = prepared(input, fresh(THEIRS));
    const { files, errors } = await lintCloudFormation(p);
    expect(errors).toEqual([]);
    const source = parseYaml(files['source.template.yaml']!);
    const topic = p.plan.changes.find((c) => c.kind === 'sns-topic')!;
    expect(source.Resources.AlertsTopic.Properties.TopicName).toBe(topic.topicName);
    expect(source.Resources.AlertsTopicPolicy.Properties.PolicyDocument).toEqual(topic.policy);
    const types = Object.values(source.Resources).map((r) => (r as { Type: string }).Type);
    expect(types.filter((t) => t === 'AWS::SNS::Subscription').length).toBe(input.alerts!.emails.length);
    expect(types.filter((t) => t === 'AWS::CloudWatch::Alarm').length).toBe(changes(p, 'alarm').length);
    const notification = source.Resources.SourceBucket.Properties.NotificationConfiguration;
    expect(notification.EventBridgeConfiguration).toEqual({ EventBridgeEnabled: true });
    expect(notification.QueueConfigurations).toEqual([
      { Event: 's3:ObjectCreated:*', Queue: THEIRS.QueueConfigurations![0]!.QueueArn, Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'in/' }] } } },
    ]);
    expect(notification.TopicConfigurations).toEqual(
      changes(p, 'bucket-notification')[0]!.configuration.TopicConfigurations![0]!.Events!.map((e) => ({ Event: e, Topic: { Ref: 'AlertsTopic' } })),
    );
    expect(source.Resources.SourceBucket.DependsOn).toBe('AlertsTopicPolicy');
  });

  it('the topic reference shared by the policy, subscription, alarms and notification is written out each time, no YAML alias (CloudFormation rejects them); cfn-lint finds nothing', async () => {
    const p = prepared(seedInput({ alerts: { emails: ['ops@example.com'] } }), fresh());
    const { files, findings } = await lintCloudFormation(p);
    expect(findings).toEqual([]);
    expect(anchorsAndAliases(files['source.template.yaml']!)).toEqual([]);
    expect(anchorsAndAliases(exportSetup(p, 'cloudformation').stdout)).toEqual([]);
  });
});

describe('export with --alert-topic (an existing topic: its policy only)', () => {
  const input = seedInput({ alerts: { emails: ['ops@example.com'], topicArn: GIVEN_TOPIC } });
  const given =
    () =>
    (arn: string): LiveAlerts => ({
      topic: { arn, exists: true, ours: false, policy: { Version: '2012-10-17', Statement: [THEIR_STATEMENT] } },
      subscriptions: [{ protocol: 'email', endpoint: 'ops@example.com', arn: `${GIVEN_TOPIC}:0b1c` }],
      notification: {},
      alarms: [],
    });

  it('Terraform: no topic resource, the merged policy on the given ARN (imported), the confirmed subscription imported', async () => {
    const { parsed } = await checkTerraform(prepared(input, given()));
    expect(parsed.resource.aws_sns_topic).toBeUndefined();
    expect(parsed.resource.aws_sns_topic_policy!.alerts![0]!.arn).toBe(GIVEN_TOPIC);
    expect(parsed.resource.aws_s3_bucket_notification!.source![0]!.topic).toEqual([expect.objectContaining({ topic_arn: GIVEN_TOPIC })]);
    expect(Object.values(parsed.resource.aws_cloudwatch_metric_alarm!).map(([a]) => a!.alarm_actions)).toEqual([[GIVEN_TOPIC], [GIVEN_TOPIC]]);
    expect((parsed.import ?? []).map((i) => [i.to, i.id])).toEqual([
      [ref('aws_sns_topic_policy.alerts'), GIVEN_TOPIC],
      [ref('aws_sns_topic_subscription.alerts_ops_example_com'), `${GIVEN_TOPIC}:0b1c`],
    ]);
  });

  it('CloudFormation: only the TopicPolicy (retained: it holds their statements) and references to the given ARN; cfn-lint passes', async () => {
    const { files, errors } = await lintCloudFormation(prepared(input, given()));
    expect(errors).toEqual([]);
    const { Resources } = parseYaml(files['source.template.yaml']!);
    expect(Resources.AlertsTopic).toBeUndefined();
    expect(Resources.AlertsTopicPolicy.Properties.Topics).toEqual([GIVEN_TOPIC]);
    expect(Resources.AlertsTopicPolicy.Properties.PolicyDocument.Statement[0]).toEqual(THEIR_STATEMENT);
    expect(Resources.AlertsTopicPolicy.DeletionPolicy).toBe('Retain');
    expect(Resources.AlertsSubscriptionOpsExampleCom.Properties.TopicArn).toBe(GIVEN_TOPIC);
  });
});

describe('export of Batch Replication (replicate existing objects, the whole bucket)', () => {
  const input = seedInput({ replicateExisting: true });
  const batch = (): Partial<LiveState> => {
    const base = freshLive(input, SEED_ACCOUNTS);
    const setupId = documentContext(input, SEED_ACCOUNTS, base).names.setupId;
    return {
      batch: {
        existing: { count: 12, atLeast: false },
        role: { name: 'replicate-setup-batch', arn: 'arn:aws:iam::111111111111:role/replicate-setup-batch', exists: false },
        reportsBucket: { name: `replicate-setup-batch-${setupId}`, exists: false },
        jobs: [],
      },
    };
  };

  it('the batch role and its private reports bucket in both formats; the job has no resource (said in main.tf)', async () => {
    const p = prepared(input, fresh(), batch());
    const bucket = p.plan.changes.find((c) => c.kind === 'batch-bucket')!;
    const { parsed, text } = await checkTerraform(p);
    expect(parsed.resource.aws_s3_bucket!.batch![0]!.bucket).toBe(bucket.bucket);
    expect(parsed.resource.aws_s3_bucket_public_access_block!.batch![0]!.block_public_policy).toBe(true);
    expect(text).toContain('no Terraform resource');
    const { files, errors } = await lintCloudFormation(p);
    expect(errors).toEqual([]);
    const { Resources } = parseYaml(files['source.template.yaml']!);
    expect(Resources.BatchReportsBucket.Properties.BucketName).toBe(bucket.bucket);
    expect(Resources.BatchReplicationRole.Type).toBe('AWS::IAM::Role');
  });
});
