import { deleteAlarm, putAlarm } from '../aws/alerts.js';
import * as ops from '../aws/catalogue.js';
import { alarmSteps, alarmTeardown } from '../plan/alert-steps.js';
import { alarmChecks } from '../verify/alert-checks.js';
import type { ResourceKind } from './contract.js';

/** A CloudWatch alarm per replication rule and metric (failed operations; latency with RTC), acting on the alerts topic. */
export const alarmKind: ResourceKind<'alarm'> = {
  kind: 'alarm',
  plan: alarmSteps,
  teardown: alarmTeardown,
  order: () => 73,
  reads: [ops.cloudwatch.DescribeAlarms],
  writes: (change) => [change.action === 'delete' ? ops.cloudwatch.DeleteAlarms : ops.cloudwatch.PutMetricAlarm],
  async apply(change, { cloudwatch }) {
    if (change.action === 'delete') await deleteAlarm(cloudwatch, change.definition.AlarmName);
    else await putAlarm(cloudwatch, change.definition);
  },
  project(live, change) {
    if (!live.alerts) return;
    const others = live.alerts.alarms.filter((alarm) => alarm.definition.AlarmName !== change.definition.AlarmName);
    live.alerts.alarms = change.action === 'delete' ? others : [...others, { definition: structuredClone(change.definition) }];
  },
  verify: { checks: alarmChecks },
};
