import type { FilterRule, NotificationConfigurationFilter } from '@aws-sdk/client-s3';
import { ALERTS_PREFIX } from '../plan/alert-names.js';
import type { AlarmDefinition } from '../plan/alert-types.js';
import type { ChangeOf } from '../plan/changes.js';
import { changesOf, type ExportModel, oneChange } from './model.js';

/**
 * The alert changes of the plan, as both exporters write them. `ownTopic` says whether the topic is this setup's
 * (a resource of the export) or the one --alert-topic named (only its policy is exported, the ARN used as given).
 */
export interface ExportedAlerts {
  topic: ChangeOf<'sns-topic'>;
  ownTopic: boolean;
  subscriptions: ChangeOf<'sns-subscription'>[];
  notification?: ChangeOf<'bucket-notification'>;
  alarms: ChangeOf<'alarm'>[];
}

export function exportedAlerts(model: ExportModel): ExportedAlerts | undefined {
  const topic = oneChange(model, 'sns-topic');
  if (!topic) return undefined;
  return {
    topic,
    ownTopic: model.prepared.input.alerts?.topicArn === undefined,
    subscriptions: changesOf(model, 'sns-subscription'),
    notification: oneChange(model, 'bucket-notification'),
    alarms: changesOf(model, 'alarm'),
  };
}

/** `replicate-setup-alerts-<id>-failed-operations-alice` → `failed-operations-alice`: what tells a setup's alarms apart. */
export const alarmShortName = (definition: AlarmDefinition): string => definition.AlarmName.replace(new RegExp(`^${ALERTS_PREFIX}-[0-9a-f]+-`), '');

/** A notification entry's key filter as prefix and suffix (S3 returns the rule names as `Prefix`/`Suffix`). */
export function keyFilter(filter: NotificationConfigurationFilter | undefined): { prefix?: string; suffix?: string } {
  const rules: FilterRule[] = filter?.Key?.FilterRules ?? [];
  const value = (name: string): string | undefined => rules.find((rule) => rule.Name?.toLowerCase() === name)?.Value;
  const prefix = value('prefix');
  const suffix = value('suffix');
  return { ...(prefix === undefined ? {} : { prefix }), ...(suffix === undefined ? {} : { suffix }) };
}

/** Whether the bucket already has a notification configuration with any entry: the resource exists, to be adopted. */
export const notificationExists = (model: ExportModel): boolean => {
  const live = model.prepared.live.alerts?.notification;
  return (
    !!live &&
    ((live.TopicConfigurations?.length ?? 0) > 0 ||
      (live.QueueConfigurations?.length ?? 0) > 0 ||
      (live.LambdaFunctionConfigurations?.length ?? 0) > 0 ||
      live.EventBridgeConfiguration !== undefined)
  );
};
