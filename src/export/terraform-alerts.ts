import type { LambdaFunctionConfiguration, NotificationConfiguration, QueueConfiguration, TopicConfiguration } from '@aws-sdk/client-s3';
import { PENDING_CONFIRMATION } from '../plan/alert-types.js';
import { alarmShortName, exportedAlerts, keyFilter, notificationExists } from './alerts-model.js';
import { attr, type Block, type BodyItem, block, raw, type Value } from './hcl.js';
import type { ExportModel } from './model.js';
import { withReferences } from './model.js';
import type { Adopt, Json } from './terraform-types.js';

/**
 * The failure alerts as Terraform: the setup's own topic (or, with --alert-topic, only the policy of the given one),
 * its email subscriptions, the source bucket's whole notification configuration and the alarms. Every document is the
 * plan's; the setup's own topic ARN becomes a reference to aws_sns_topic.alerts so Terraform orders the writes.
 */

const provider = attr('provider', raw('aws.source'));
const terraformName = (text: string): string => text.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1');

export function alertResources(model: ExportModel, json: Json, adopt: Adopt): Block[] {
  const alerts = exportedAlerts(model);
  if (!alerts) return [];
  const { topic, ownTopic } = alerts;
  const has = (id: string): boolean => model.existing.has(id as never);
  const topicRef = (text: string): Value | undefined => (ownTopic && text === topic.topicArn ? raw('aws_sns_topic.alerts.arn') : undefined);
  const topicArn: Value = topicRef(topic.topicArn) ?? topic.topicArn;
  const out: Block[] = [];

  if (ownTopic) {
    out.push(block('resource', ['aws_sns_topic', 'alerts'], [provider, attr('name', topic.topicName)]));
    adopt(has(topic.id), 'aws_sns_topic.alerts', 'source', topic.topicArn);
  }
  out.push(
    block(
      'resource',
      ['aws_sns_topic_policy', 'alerts'],
      // The policy's Resource stays the plan's literal ARN: the comparison with the plan is exact.
      [provider, attr('arn', topicArn), attr('policy', json(topic.policy))],
      [
        ownTopic
          ? 'The alerts topic policy: S3 (this source bucket) and CloudWatch alarms (this account) may publish.'
          : `The whole policy of the existing topic ${topic.topicArn}: replicate-setup statements merged with the ones it had.`,
      ],
    ),
  );
  // The policy of a topic that exists is an attribute of it: imported by the topic's ARN.
  adopt(!ownTopic || has(topic.id), 'aws_sns_topic_policy.alerts', 'source', topic.topicArn);

  for (const subscription of alerts.subscriptions) {
    const name = `alerts_${terraformName(subscription.endpoint)}`;
    const live = model.prepared.live.alerts?.subscriptions.find((s) => s.protocol === 'email' && s.endpoint === subscription.endpoint);
    out.push(
      block(
        'resource',
        ['aws_sns_topic_subscription', name],
        [provider, attr('topic_arn', topicArn), attr('protocol', 'email'), attr('endpoint', subscription.endpoint)],
        [
          `AWS emails ${subscription.endpoint} a confirmation link: no alert reaches the address until it is followed.`,
          'Terraform cannot confirm an email subscription, and leaves an unconfirmed one behind on destroy.',
        ],
      ),
    );
    // Only a confirmed subscription has an ARN to import by.
    if (live && live.arn !== PENDING_CONFIRMATION) adopt(true, `aws_sns_topic_subscription.${name}`, 'source', live.arn);
  }

  if (alerts.notification) {
    const configuration = withReferences(alerts.notification.configuration, topicRef) as NotificationConfiguration;
    out.push(
      block(
        'resource',
        ['aws_s3_bucket_notification', 'source'],
        [
          provider,
          attr('bucket', raw('aws_s3_bucket.source.id')),
          ...notificationBody(configuration),
          attr('depends_on', [raw('aws_sns_topic_policy.alerts')]),
        ],
        [
          "The source bucket's WHOLE notification configuration: it holds the bucket's other notifications too (every topic,",
          'queue, Lambda and EventBridge setting it had), since S3 keeps one configuration per bucket. S3 checks that it may',
          'publish to the topic when this is written: it waits for the topic policy.',
        ],
      ),
    );
    adopt(has(alerts.notification.id) || notificationExists(model), 'aws_s3_bucket_notification.source', 'source', alerts.notification.bucket);
  }

  for (const alarm of alerts.alarms) {
    const d = alarm.definition;
    const name = `alerts_${terraformName(alarmShortName(d))}`;
    out.push(
      block(
        'resource',
        ['aws_cloudwatch_metric_alarm', name],
        [
          provider,
          attr('alarm_name', d.AlarmName),
          attr('alarm_description', d.AlarmDescription),
          attr('namespace', d.Namespace),
          attr('metric_name', d.MetricName),
          attr('dimensions', Object.fromEntries(d.Dimensions.map((dimension) => [dimension.Name, dimension.Value]))),
          attr('statistic', d.Statistic),
          attr('period', d.Period),
          attr('evaluation_periods', d.EvaluationPeriods),
          attr('threshold', d.Threshold),
          attr('comparison_operator', d.ComparisonOperator),
          attr('treat_missing_data', d.TreatMissingData),
          attr(
            'alarm_actions',
            d.AlarmActions.map((action) => topicRef(action) ?? action),
          ),
        ],
      ),
    );
    adopt(has(alarm.id), `aws_cloudwatch_metric_alarm.${name}`, 'source', d.AlarmName);
  }
  return out;
}

type Entry = TopicConfiguration | QueueConfiguration | LambdaFunctionConfiguration;

/** One nested block per entry, with the provider's names; the key filter's rules become filter_prefix/filter_suffix. */
function entryBlock(type: string, arnName: string, arn: Value, entry: Entry): Block {
  const { prefix, suffix } = keyFilter(entry.Filter);
  return block(
    type,
    [],
    [
      ...(entry.Id === undefined ? [] : [attr('id', entry.Id)]),
      attr(arnName, arn),
      attr('events', (entry.Events ?? []) as Value[]),
      ...(prefix === undefined ? [] : [attr('filter_prefix', prefix)]),
      ...(suffix === undefined ? [] : [attr('filter_suffix', suffix)]),
    ],
  );
}

function notificationBody(configuration: NotificationConfiguration): BodyItem[] {
  const value = (arn: unknown): Value => arn as Value;
  return [
    ...(configuration.EventBridgeConfiguration ? [attr('eventbridge', true)] : []),
    ...(configuration.TopicConfigurations ?? []).map((entry) => entryBlock('topic', 'topic_arn', value(entry.TopicArn), entry)),
    ...(configuration.QueueConfigurations ?? []).map((entry) => entryBlock('queue', 'queue_arn', value(entry.QueueArn), entry)),
    ...(configuration.LambdaFunctionConfigurations ?? []).map((entry) =>
      entryBlock('lambda_function', 'lambda_function_arn', value(entry.LambdaFunctionArn), entry),
    ),
  ];
}
