import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { NotificationConfiguration, S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AlarmDefinition, LiveAlarm, LiveSubscription } from '../plan/alert-types.js';
import { parsePolicy } from '../plan/compare.js';
import type { PolicyDocument } from '../plan/policy-types.js';
import * as ops from './catalogue.js';
import { isErrorNamed } from './errors.js';
import { send } from './send.js';

/** The SNS, S3 notification and CloudWatch alarm calls of failure alerts, each through the catalogue. */

/** A topic's policy, or undefined when the topic does not exist. */
export async function readTopic(sns: SNSClient, topicArn: string): Promise<{ policy?: PolicyDocument } | undefined> {
  try {
    const { Attributes } = await send(sns, ops.sns.GetTopicAttributes, { TopicArn: topicArn });
    const policy = parsePolicy(Attributes?.Policy);
    return policy ? { policy } : {};
  } catch (error) {
    if (isErrorNamed(error, 'NotFoundException', 'NotFound')) return undefined;
    throw error;
  }
}

/** Creates the topic (idempotent in SNS: the same name and attributes return the same ARN) and sets its policy. */
export async function createTopic(sns: SNSClient, name: string, policy: PolicyDocument): Promise<void> {
  const { TopicArn } = await send(sns, ops.sns.CreateTopic, { Name: name, Tags: [{ Key: 'managed-by', Value: 'replicate-setup' }] });
  await setTopicPolicy(sns, TopicArn!, policy);
}

export async function setTopicPolicy(sns: SNSClient, topicArn: string, policy: PolicyDocument): Promise<void> {
  await send(sns, ops.sns.SetTopicAttributes, { TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(policy) });
}

/** Deleting a topic that is already gone succeeds in SNS. */
export async function deleteTopic(sns: SNSClient, topicArn: string): Promise<void> {
  await send(sns, ops.sns.DeleteTopic, { TopicArn: topicArn });
}

export async function subscribeEmail(sns: SNSClient, topicArn: string, email: string): Promise<void> {
  // SNS returns the existing subscription for the same topic, protocol and endpoint: a retry is harmless.
  await send(sns, ops.sns.Subscribe, { TopicArn: topicArn, Protocol: 'email', Endpoint: email });
}

export async function listSubscriptions(sns: SNSClient, topicArn: string): Promise<LiveSubscription[]> {
  const all: LiveSubscription[] = [];
  let token: string | undefined;
  do {
    const page = await send(sns, ops.sns.ListSubscriptionsByTopic, { TopicArn: topicArn, ...(token ? { NextToken: token } : {}) });
    for (const s of page.Subscriptions ?? []) all.push({ protocol: s.Protocol ?? '', endpoint: s.Endpoint ?? '', arn: s.SubscriptionArn ?? '' });
    token = page.NextToken;
  } while (token);
  return all;
}

export async function readNotification(s3: S3Client, bucket: string): Promise<NotificationConfiguration> {
  const { $metadata: _m, ...configuration } = await send(s3, ops.s3.GetBucketNotificationConfiguration, { Bucket: bucket });
  return configuration;
}

export async function writeNotification(s3: S3Client, bucket: string, configuration: NotificationConfiguration): Promise<void> {
  await send(s3, ops.s3.PutBucketNotificationConfiguration, { Bucket: bucket, NotificationConfiguration: configuration });
}

/** The alarms whose names start with `prefix`, every page. */
export async function describeAlarms(cloudwatch: CloudWatchClient, prefix: string): Promise<LiveAlarm[]> {
  const all: LiveAlarm[] = [];
  let token: string | undefined;
  do {
    const page = await send(cloudwatch, ops.cloudwatch.DescribeAlarms, {
      AlarmNamePrefix: prefix,
      AlarmTypes: ['MetricAlarm'],
      ...(token ? { NextToken: token } : {}),
    });
    for (const alarm of page.MetricAlarms ?? []) {
      all.push({
        definition: {
          AlarmName: alarm.AlarmName ?? '',
          AlarmDescription: alarm.AlarmDescription ?? '',
          Namespace: alarm.Namespace as AlarmDefinition['Namespace'],
          MetricName: alarm.MetricName as AlarmDefinition['MetricName'],
          Dimensions: (alarm.Dimensions ?? []).map((d) => ({ Name: d.Name ?? '', Value: d.Value ?? '' })),
          Statistic: alarm.Statistic as AlarmDefinition['Statistic'],
          Period: alarm.Period ?? 0,
          EvaluationPeriods: alarm.EvaluationPeriods ?? 0,
          Threshold: alarm.Threshold ?? 0,
          ComparisonOperator: alarm.ComparisonOperator as AlarmDefinition['ComparisonOperator'],
          TreatMissingData: alarm.TreatMissingData as AlarmDefinition['TreatMissingData'],
          AlarmActions: alarm.AlarmActions ?? [],
        },
        ...(alarm.StateValue ? { state: alarm.StateValue } : {}),
        ...(alarm.StateReason ? { stateReason: alarm.StateReason } : {}),
      });
    }
    token = page.NextToken;
  } while (token);
  return all;
}

/** PutMetricAlarm creates or replaces the alarm of that name: idempotent. */
export async function putAlarm(cloudwatch: CloudWatchClient, definition: AlarmDefinition): Promise<void> {
  await send(cloudwatch, ops.cloudwatch.PutMetricAlarm, { ...definition, ActionsEnabled: true });
}

export async function deleteAlarm(cloudwatch: CloudWatchClient, name: string): Promise<void> {
  await send(cloudwatch, ops.cloudwatch.DeleteAlarms, { AlarmNames: [name] });
}
