import type { NotificationConfiguration } from '@aws-sdk/client-s3';
import {
  alarmDefinitions,
  alertTopicArn,
  mergedTopicPolicy,
  mergeNotification,
  ourEntry,
  ourTopicConfiguration,
  sameAlarm,
  sameTopicConfiguration,
  topicStatementOwner,
} from './alert-documents.js';
import { alertTopicName } from './alert-names.js';
import { PENDING_CONFIRMATION } from './alert-types.js';
import type { ChangeOf, StepId } from './changes.js';
import { action, type PlanContext } from './context.js';
import { samePolicy } from './merge.js';
import { bucketArn } from './names.js';
import type { TeardownContext } from './teardown.js';

/**
 * Failure alerts, planned from the same documents verify checks (alert-documents.ts). Nothing is planned without
 * --alert-email/--alert-topic: a re-run without them leaves earlier alerts alone (teardown removes them).
 */
const alertsOn = (pc: PlanContext): boolean => pc.documents.input.alerts !== undefined && pc.live.alerts !== undefined;

export const ALERT_TOPIC_STEP: StepId = 'alert-topic';

export function alertTopicSteps(pc: PlanContext): ChangeOf<'sns-topic'>[] {
  if (!alertsOn(pc)) return [];
  const ctx = pc.documents;
  const topic = pc.live.alerts!.topic;
  const topicArn = alertTopicArn(ctx);
  const policy = mergedTopicPolicy(ctx, topicArn, topic.exists ? topic.policy : undefined);
  return [
    {
      id: ALERT_TOPIC_STEP,
      title: topic.ours
        ? `Alerts topic ${alertTopicName(ctx.names.setupId)} (S3 and CloudWatch alarms may publish)`
        : `Policy of alerts topic ${topicArn}: S3 and CloudWatch alarms may publish`,
      side: 'source',
      action: action(topic.exists, samePolicy(topic.policy, policy)),
      resource: topicArn,
      dependsOn: [],
      kind: 'sns-topic',
      topicArn,
      topicName: topicArn.split(':').pop()!,
      policy,
    },
  ];
}

export function alertSubscriptionSteps(pc: PlanContext): ChangeOf<'sns-subscription'>[] {
  if (!alertsOn(pc)) return [];
  const topicArn = alertTopicArn(pc.documents);
  const { subscriptions } = pc.live.alerts!;
  return pc.documents.input.alerts!.emails.map((email): ChangeOf<'sns-subscription'> => {
    const found = subscriptions.find((s) => s.protocol === 'email' && s.endpoint.toLowerCase() === email.toLowerCase());
    const pending = found?.arn === PENDING_CONFIRMATION;
    return {
      id: `alert-subscription:${email}`,
      title: `Email alerts to ${email}`,
      side: 'source',
      action: found ? 'no-op' : 'create',
      resource: topicArn,
      dependsOn: [ALERT_TOPIC_STEP],
      kind: 'sns-subscription',
      topicArn,
      protocol: 'email',
      endpoint: email,
      ...(found && !pending
        ? {}
        : {
            note: pending ? 'not confirmed yet: no alert reaches this address until its confirmation link is followed' : 'AWS emails a confirmation link first',
          }),
    };
  });
}

export function bucketNotificationSteps(pc: PlanContext): ChangeOf<'bucket-notification'>[] {
  if (!alertsOn(pc)) return [];
  const ctx = pc.documents;
  const { notification } = pc.live.alerts!;
  const ours = ourTopicConfiguration(ctx, alertTopicArn(ctx));
  const current = ourEntry(ctx.names.setupId, notification);
  const bucket = ctx.input.source.bucket;
  const others = countOthers(notification) - (current ? 1 : 0);
  return [
    {
      id: 'source-bucket-notification',
      title: `Event notifications of ${bucket}: ${ours.Events!.join(', ')} to the alerts topic${others > 0 ? `, keep ${others} other` : ''}`,
      side: 'source',
      action: action(!!current, sameTopicConfiguration(current, ours)),
      resource: bucketArn(bucket),
      // S3 checks that it may publish to the topic when the configuration is written.
      dependsOn: ['source-bucket', ALERT_TOPIC_STEP],
      kind: 'bucket-notification',
      bucket,
      configuration: mergeNotification(ctx.names.setupId, notification, ours),
    },
  ];
}

const countOthers = (n: NotificationConfiguration): number =>
  (n.TopicConfigurations?.length ?? 0) +
  (n.QueueConfigurations?.length ?? 0) +
  (n.LambdaFunctionConfigurations?.length ?? 0) +
  (n.EventBridgeConfiguration ? 1 : 0);

export function alarmSteps(pc: PlanContext): ChangeOf<'alarm'>[] {
  if (!alertsOn(pc)) return [];
  const live = pc.live.alerts!.alarms;
  const desired = alarmDefinitions(pc.documents, alertTopicArn(pc.documents));
  const region = pc.documents.input.source.region;
  const account = pc.documents.accounts.source;
  const change = (definition: (typeof desired)[number], act: ChangeOf<'alarm'>['action'], title: string): ChangeOf<'alarm'> => ({
    id: `alert-alarm:${definition.AlarmName}`,
    title,
    side: 'source',
    action: act,
    resource: `arn:aws:cloudwatch:${region}:${account}:alarm:${definition.AlarmName}`,
    dependsOn: [ALERT_TOPIC_STEP],
    kind: 'alarm',
    definition,
  });
  const wanted = desired.map((definition) => {
    const found = live.find((alarm) => alarm.definition.AlarmName === definition.AlarmName);
    const what = definition.MetricName === 'ReplicationLatency' ? 'replication later than 15 minutes' : 'failed replication';
    return change(definition, action(!!found, !!found && sameAlarm(found.definition, definition)), `Alarm on ${what}: ${definition.AlarmName}`);
  });
  // An alarm of this setup that is no longer wanted (RTC turned off, an uploader's rule gone) is removed.
  const stale = live
    .filter((alarm) => !desired.some((d) => d.AlarmName === alarm.definition.AlarmName))
    .map((alarm) => change(alarm.definition, 'delete', `Alarm ${alarm.definition.AlarmName}: no longer needed`));
  return [...wanted, ...stale];
}

/** Teardown: the setup's own topic is deleted (its subscriptions with it); a user's topic only loses our statements. */
export function alertTopicTeardown(tc: TeardownContext): ChangeOf<'sns-topic'>[] {
  const topic = tc.live.alerts?.topic;
  if (!topic?.exists) return [];
  const owns = topicStatementOwner(tc.documents);
  const kept = (topic.policy?.Statement ?? []).filter((statement) => !owns(statement));
  const base = { id: ALERT_TOPIC_STEP, side: 'source' as const, resource: topic.arn, kind: 'sns-topic' as const, topicArn: topic.arn };
  const topicName = topic.arn.split(':').pop()!;
  // After the notification that publishes to it is gone: S3 would refuse a configuration naming a missing topic.
  const dependsOn: StepId[] = ['source-bucket-notification'];
  if (topic.ours) {
    return [
      {
        ...base,
        title: `Alerts topic ${topicName} and its subscriptions`,
        action: 'delete',
        dependsOn,
        topicName,
        policy: topic.policy ?? { Version: '2012-10-17', Statement: [] },
      },
    ];
  }
  if (kept.length === (topic.policy?.Statement.length ?? 0) || kept.length === 0) return [];
  return [
    {
      ...base,
      title: `Policy of alerts topic ${topic.arn}: remove this setup's statements`,
      action: 'update',
      dependsOn,
      topicName,
      policy: { ...topic.policy!, Statement: kept },
    },
  ];
}

/** Teardown: this setup's entry leaves the notification configuration; every other entry is written back. */
export function bucketNotificationTeardown(tc: TeardownContext): ChangeOf<'bucket-notification'>[] {
  const notification = tc.live.alerts?.notification;
  const setupId = tc.documents.names.setupId;
  if (!notification || !ourEntry(setupId, notification)) return [];
  const bucket = tc.documents.input.source.bucket;
  const configuration = mergeNotification(setupId, notification, undefined);
  const left = countOthers(configuration);
  return [
    {
      id: 'source-bucket-notification',
      title: `Event notifications of ${bucket}: remove this setup's alerts${left > 0 ? `, keep ${left} other` : ''}`,
      side: 'source',
      action: left === 0 ? 'delete' : 'update',
      resource: bucketArn(bucket),
      dependsOn: [],
      kind: 'bucket-notification',
      bucket,
      configuration,
    },
  ];
}

/** Teardown: every alarm of this setup. */
export function alarmTeardown(tc: TeardownContext): ChangeOf<'alarm'>[] {
  const { region } = tc.documents.input.source;
  return (tc.live.alerts?.alarms ?? []).map((alarm) => ({
    id: `alert-alarm:${alarm.definition.AlarmName}`,
    title: `Alarm ${alarm.definition.AlarmName}`,
    side: 'source',
    action: 'delete',
    resource: `arn:aws:cloudwatch:${region}:${tc.documents.accounts.source}:alarm:${alarm.definition.AlarmName}`,
    dependsOn: [],
    kind: 'alarm',
    definition: alarm.definition,
  }));
}
