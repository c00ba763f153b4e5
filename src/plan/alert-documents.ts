import type { NotificationConfiguration, TopicConfiguration } from '@aws-sdk/client-s3';
import { type AlarmMetric, alarmNameOf, alertTopicName, isNotificationOfSetup, notificationIdOf, topicArnOf } from './alert-names.js';
import type { AlarmDefinition } from './alert-types.js';
import type { DocumentContext } from './documents.js';
import { bucketArn, isSidOfSetup, sidOf } from './names.js';
import type { PolicyDocument, PolicyStatement } from './policy-types.js';
import { type ReplicationRule, replicationRules } from './replication-rules.js';

/** The S3 events that mean replication failed (any rule with metrics) or ran late (RTC rules only). */
export const FAILED_EVENT = 's3:Replication:OperationFailedReplication';
export const MISSED_THRESHOLD_EVENT = 's3:Replication:OperationMissedThreshold';

/** RTC promises 15 minutes: latency beyond it is worth a person's attention. */
export const LATENCY_THRESHOLD_SECONDS = 900;
const ALARM_PERIOD_SECONDS = 300;

/** The topic alerts go to: --alert-topic, else the setup's own in the source account and the source bucket's region. */
export const alertTopicArn = (ctx: DocumentContext): string =>
  ctx.input.alerts?.topicArn ?? topicArnOf(ctx.input.source.region, ctx.accounts.source, alertTopicName(ctx.names.setupId));

/**
 * The topic policy's statements of this setup: S3 may publish only for this source bucket and account, CloudWatch
 * only for alarms of this account and region. Merged into the topic's policy; everything else in it is kept.
 */
export function topicPolicyStatements(ctx: DocumentContext, topicArn: string): PolicyStatement[] {
  const { source } = ctx.input;
  const account = ctx.accounts.source;
  return [
    {
      Sid: sidOf(ctx.names.setupId, 'AlertsFromS3'),
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'SNS:Publish',
      Resource: topicArn,
      Condition: { ArnLike: { 'aws:SourceArn': bucketArn(source.bucket) }, StringEquals: { 'aws:SourceAccount': account } },
    },
    {
      Sid: sidOf(ctx.names.setupId, 'AlertsFromAlarms'),
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'SNS:Publish',
      Resource: topicArn,
      Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${source.region}:${account}:alarm:*` }, StringEquals: { 'aws:SourceAccount': account } },
    },
  ];
}

/** Whether a topic policy statement is one of this setup's: equality on the setup id its Sid carries. */
export const topicStatementOwner =
  (ctx: DocumentContext) =>
  (statement: PolicyStatement): boolean =>
    isSidOfSetup(ctx.names.setupId, statement.Sid);

/** The topic policy with this setup's statements in place of any earlier ones of it, every other statement kept. */
export function mergedTopicPolicy(ctx: DocumentContext, topicArn: string, existing: PolicyDocument | undefined): PolicyDocument {
  const owns = topicStatementOwner(ctx);
  const theirs = (existing?.Statement ?? []).filter((statement) => !owns(statement));
  return { ...(existing ?? {}), Version: existing?.Version ?? '2012-10-17', Statement: [...theirs, ...topicPolicyStatements(ctx, topicArn)] };
}

/** The events this setup's notification sends: failures always, missed thresholds with RTC. */
export const alertEvents = (ctx: DocumentContext): string[] => (ctx.input.rtc ? [FAILED_EVENT, MISSED_THRESHOLD_EVENT] : [FAILED_EVENT]);

export const ourTopicConfiguration = (ctx: DocumentContext, topicArn: string): TopicConfiguration => ({
  Id: notificationIdOf(ctx.names.setupId),
  TopicArn: topicArn,
  Events: alertEvents(ctx) as TopicConfiguration['Events'],
});

/** This setup's entry in a notification configuration, if there is one. */
export const ourEntry = (setupId: string, configuration: NotificationConfiguration | undefined): TopicConfiguration | undefined =>
  configuration?.TopicConfigurations?.find((entry) => isNotificationOfSetup(setupId, entry.Id));

/**
 * The bucket's notification configuration with this setup's entry put in (or taken out, with `ours` undefined).
 * PutBucketNotificationConfiguration replaces the whole configuration, so every other topic, queue, Lambda and
 * EventBridge setting is written back exactly as it was read.
 */
export function mergeNotification(setupId: string, existing: NotificationConfiguration, ours: TopicConfiguration | undefined): NotificationConfiguration {
  const theirTopics = (existing.TopicConfigurations ?? []).filter((entry) => !isNotificationOfSetup(setupId, entry.Id));
  const topics = ours ? [...theirTopics, ours] : theirTopics;
  const { TopicConfigurations: _topics, ...rest } = existing;
  return { ...rest, ...(topics.length > 0 ? { TopicConfigurations: topics } : {}) };
}

/** Same entry: same topic and the same events, in any order. */
export const sameTopicConfiguration = (a: TopicConfiguration | undefined, b: TopicConfiguration | undefined): boolean =>
  !!a && !!b && a.TopicArn === b.TopicArn && [...(a.Events ?? [])].sort().join() === [...(b.Events ?? [])].sort().join();

/** The scope part of a rule's alarm names: the uploader a rule is fenced to, none for the one rule of a prefix. */
const scopeOf = (ctx: DocumentContext, rule: ReplicationRule): string | undefined => {
  const uploaders = ctx.input.uploaders;
  if (uploaders.length === 0) return undefined;
  const index = replicationRules(ctx).findIndex((r) => r.ID === rule.ID);
  return uploaders[index]?.split('/').pop();
};

/** The alarms of one rule: failed operations always, latency beyond 15 minutes with RTC. */
function ruleAlarms(ctx: DocumentContext, rule: ReplicationRule, topicArn: string): AlarmDefinition[] {
  const { source, destination } = ctx.input;
  const dimensions = [
    { Name: 'SourceBucket', Value: source.bucket },
    { Name: 'DestinationBucket', Value: destination.bucket },
    { Name: 'RuleId', Value: rule.ID },
  ];
  const scope = scopeOf(ctx, rule);
  const alarm = (metric: AlarmMetric, fields: Pick<AlarmDefinition, 'MetricName' | 'Statistic' | 'Threshold' | 'AlarmDescription'>): AlarmDefinition => ({
    AlarmName: alarmNameOf(ctx.names.setupId, metric, scope),
    Namespace: 'AWS/S3',
    Dimensions: dimensions,
    Period: ALARM_PERIOD_SECONDS,
    EvaluationPeriods: 1,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [topicArn],
    ...fields,
  });
  const where = `${source.bucket} → ${destination.bucket}${scope ? ` (${scope})` : ''}`;
  const failed = alarm('failed-operations', {
    MetricName: 'OperationsFailedReplication',
    Statistic: 'Sum',
    Threshold: 0,
    AlarmDescription: `replicate-setup: objects failed to replicate ${where}`,
  });
  if (!ctx.input.rtc) return [failed];
  const late = alarm('latency', {
    MetricName: 'ReplicationLatency',
    Statistic: 'Maximum',
    Threshold: LATENCY_THRESHOLD_SECONDS,
    AlarmDescription: `replicate-setup: replication ${where} is later than RTC's 15 minutes`,
  });
  return [failed, late];
}

/** Every alarm of this setup, one or two per replication rule. */
export const alarmDefinitions = (ctx: DocumentContext, topicArn: string): AlarmDefinition[] =>
  replicationRules(ctx).flatMap((rule) => ruleAlarms(ctx, rule, topicArn));

const dimensionText = (definition: AlarmDefinition): string =>
  definition.Dimensions.map((d) => `${d.Name}=${d.Value}`)
    .sort()
    .join(',');

/** Same alarm: every field the tool writes, dimensions and actions in any order. */
export function sameAlarm(a: AlarmDefinition, b: AlarmDefinition): boolean {
  const plain = (d: AlarmDefinition) => [
    d.AlarmName,
    d.Namespace,
    d.MetricName,
    d.Statistic,
    d.Period,
    d.EvaluationPeriods,
    d.Threshold,
    d.ComparisonOperator,
    d.TreatMissingData,
  ];
  return (
    JSON.stringify(plain(a)) === JSON.stringify(plain(b)) &&
    dimensionText(a) === dimensionText(b) &&
    [...a.AlarmActions].sort().join() === [...b.AlarmActions].sort().join()
  );
}
