import type { NotificationConfiguration } from '@aws-sdk/client-s3';
import type { PolicyDocument } from './policy-types.js';

/** A CloudWatch alarm as PutMetricAlarm takes it and DescribeAlarms returns it: the fields the tool writes. */
export interface AlarmDefinition {
  AlarmName: string;
  AlarmDescription: string;
  Namespace: 'AWS/S3';
  MetricName: 'OperationsFailedReplication' | 'ReplicationLatency';
  Dimensions: { Name: string; Value: string }[];
  Statistic: 'Sum' | 'Maximum';
  Period: number;
  EvaluationPeriods: number;
  Threshold: number;
  ComparisonOperator: 'GreaterThanThreshold';
  TreatMissingData: 'notBreaching';
  AlarmActions: string[];
}

/** The topic alerts go to: the setup's own (`ours`, found by its name) or the one --alert-topic names. */
export interface LiveAlertTopic {
  arn: string;
  exists: boolean;
  ours: boolean;
  policy?: PolicyDocument;
}

/** One subscription of the topic; `arn` is `PendingConfirmation` until the person follows the link SNS emailed. */
export interface LiveSubscription {
  protocol: string;
  endpoint: string;
  arn: string;
}

export interface LiveAlarm {
  definition: AlarmDefinition;
  /** OK, ALARM or INSUFFICIENT_DATA, as CloudWatch reports it. */
  state?: string;
  stateReason?: string;
}

/** The live state of a setup's alerts, read only when alerts are asked for (and always by teardown). */
export interface LiveAlerts {
  topic: LiveAlertTopic;
  subscriptions: LiveSubscription[];
  /** The source bucket's whole notification configuration: every entry of the user's is written back with ours. */
  notification: NotificationConfiguration;
  /** This setup's alarms (by equality on the setup id in their names). */
  alarms: LiveAlarm[];
}

export const PENDING_CONFIRMATION = 'PendingConfirmation';
