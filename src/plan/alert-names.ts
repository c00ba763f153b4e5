import { SETUP_ID_LENGTH } from './names.js';

/**
 * The names of a setup's alert resources, each carrying the setup id so it is found again by equality on it:
 * `replicate-setup-alerts-<setup id>` for the topic and the notification configuration's Id, and
 * `replicate-setup-alerts-<setup id>-<metric>[-<scope>]` for each alarm.
 */
export const ALERTS_PREFIX = 'replicate-setup-alerts';

export const alertTopicName = (setupId: string): string => `${ALERTS_PREFIX}-${setupId}`;

export const topicArnOf = (region: string, account: string, name: string): string => `arn:aws:sns:${region}:${account}:${name}`;

/** The Id of this setup's entry in the source bucket's notification configuration. */
export const notificationIdOf = (setupId: string): string => `${ALERTS_PREFIX}-${setupId}`;

export const isNotificationOfSetup = (setupId: string, id: string | undefined): boolean => id === notificationIdOf(setupId);

/** What an alarm watches: failed operations (any rule) or latency beyond RTC's 15 minutes (RTC rules only). */
export type AlarmMetric = 'failed-operations' | 'latency';

/** `replicate-setup-alerts-<setup id>-<metric>[-<scope>]`; the scope names the rule of an uploader. */
export const alarmNameOf = (setupId: string, metric: AlarmMetric, scope?: string): string => `${ALERTS_PREFIX}-${setupId}-${metric}${scope ? `-${scope}` : ''}`;

const ALARM_SHAPE = new RegExp(`^${ALERTS_PREFIX}-([0-9a-f]{${SETUP_ID_LENGTH}})-(failed-operations|latency)(?:-.+)?$`);

/** Whether an alarm is one of this setup's: equality on the setup id its name carries. */
export const isAlarmOfSetup = (setupId: string, name: string | undefined): boolean => name !== undefined && ALARM_SHAPE.exec(name)?.[1] === setupId;

/** What DescribeAlarms is asked for (a prefix narrows the listing; ownership is still decided by isAlarmOfSetup). */
export const alarmListingPrefix = (setupId: string): string => `${ALERTS_PREFIX}-${setupId}-`;
