import type { LambdaFunctionConfiguration, NotificationConfiguration, QueueConfiguration, TopicConfiguration } from '@aws-sdk/client-s3';
import { alarmShortName, exportedAlerts, keyFilter } from './alerts-model.js';
import { type ExportModel, withReferences } from './model.js';

/**
 * The failure alerts as CloudFormation resources of the source template: the setup's own topic (or, with
 * --alert-topic, only the policy of the given one), the email subscriptions and the alarms; the source bucket's
 * notification configuration is a property of its AWS::S3::Bucket (notificationConfiguration below).
 */

type Template = Record<string, unknown>;
export type AddResource = (logicalId: string, exists: boolean, resource: Template, identifier?: Record<string, string>) => void;

export const pascal = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

export const ALERTS_TOPIC_POLICY = 'AlertsTopicPolicy';
const ALERTS_TOPIC = 'AlertsTopic';
const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

/** The setup's own topic ARN as a reference to its resource (Ref of AWS::SNS::Topic is its ARN); a given topic's stays. */
const topicReference = (model: ExportModel) => {
  const alerts = exportedAlerts(model);
  return (text: string): Template | undefined => (alerts?.ownTopic && text === alerts.topic.topicArn ? { Ref: ALERTS_TOPIC } : undefined);
};

export function alertResources(model: ExportModel, add: AddResource, comments: Record<string, string>): void {
  const alerts = exportedAlerts(model);
  if (!alerts) return;
  const { topic, ownTopic } = alerts;
  const has = (id: string): boolean => model.existing.has(id as never);
  const topicArn = topicReference(model)(topic.topicArn) ?? topic.topicArn;
  if (ownTopic) add(ALERTS_TOPIC, has(topic.id), { Type: 'AWS::SNS::Topic', Properties: { TopicName: topic.topicName } }, { TopicArn: topic.topicArn });
  add(ALERTS_TOPIC_POLICY, false, {
    Type: 'AWS::SNS::TopicPolicy',
    // Deleting a TopicPolicy resets the topic's policy to the default: a given topic's keeps everyone's statements.
    ...(ownTopic ? {} : RETAIN),
    Properties: { Topics: [topicArn], PolicyDocument: topic.policy },
  });
  comments[ALERTS_TOPIC_POLICY] = ownTopic
    ? 'The alerts topic policy: S3 (this source bucket) and CloudWatch alarms (this account) may publish.'
    : `The whole policy of the existing topic ${topic.topicArn}: replicate-setup statements merged with the ones it had.`;

  for (const subscription of alerts.subscriptions) {
    const id = `AlertsSubscription${pascal(subscription.endpoint)}`;
    add(id, has(subscription.id), { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: topicArn, Protocol: 'email', Endpoint: subscription.endpoint } });
    comments[id] = `AWS emails ${subscription.endpoint} a confirmation link: no alert reaches the address until it is followed.`;
  }

  for (const alarm of alerts.alarms) {
    const d = alarm.definition;
    add(
      `AlertsAlarm${pascal(alarmShortName(d))}`,
      has(alarm.id),
      {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: d.AlarmName,
          AlarmDescription: d.AlarmDescription,
          Namespace: d.Namespace,
          MetricName: d.MetricName,
          Dimensions: d.Dimensions,
          Statistic: d.Statistic,
          Period: d.Period,
          EvaluationPeriods: d.EvaluationPeriods,
          Threshold: d.Threshold,
          ComparisonOperator: d.ComparisonOperator,
          TreatMissingData: d.TreatMissingData,
          AlarmActions: d.AlarmActions.map((action) => topicReference(model)(action) ?? action),
        },
      },
      { AlarmName: d.AlarmName },
    );
  }
}

export const NOTIFICATION_COMMENT = [
  "NotificationConfiguration is the bucket's WHOLE notification configuration: every topic, queue, Lambda and",
  'EventBridge setting it had is written with the alerts entry. CloudFormation has one configuration per event and no',
  'entry Id, so S3 names the entries itself: `replicate-setup plan` then no longer recognises the alerts entry as its own.',
].join('\n ');

type Entry = TopicConfiguration | QueueConfiguration | LambdaFunctionConfiguration;

/** The plan's notification configuration as AWS::S3::Bucket's NotificationConfiguration property, or undefined. */
export function notificationConfiguration(model: ExportModel): Template | undefined {
  const change = exportedAlerts(model)?.notification;
  if (!change) return undefined;
  const configuration = withReferences(change.configuration, topicReference(model)) as NotificationConfiguration;
  // CloudFormation takes one event per configuration: an entry with several events becomes several configurations.
  const each = <E extends Entry>(entries: E[] | undefined, target: string, arn: (entry: E) => unknown): Template[] =>
    (entries ?? []).flatMap((entry) => {
      const { prefix, suffix } = keyFilter(entry.Filter);
      const rules = [
        ...(prefix === undefined ? [] : [{ Name: 'prefix', Value: prefix }]),
        ...(suffix === undefined ? [] : [{ Name: 'suffix', Value: suffix }]),
      ];
      return (entry.Events ?? []).map((event) => ({
        Event: event,
        [target]: arn(entry),
        ...(rules.length > 0 ? { Filter: { S3Key: { Rules: rules } } } : {}),
      }));
    });
  const topics = each(configuration.TopicConfigurations, 'Topic', (entry) => entry.TopicArn);
  const queues = each(configuration.QueueConfigurations, 'Queue', (entry) => entry.QueueArn);
  const lambdas = each(configuration.LambdaFunctionConfigurations, 'Function', (entry) => entry.LambdaFunctionArn);
  return {
    ...(configuration.EventBridgeConfiguration ? { EventBridgeConfiguration: { EventBridgeEnabled: true } } : {}),
    ...(topics.length > 0 ? { TopicConfigurations: topics } : {}),
    ...(queues.length > 0 ? { QueueConfigurations: queues } : {}),
    ...(lambdas.length > 0 ? { LambdaConfigurations: lambdas } : {}),
  };
}
