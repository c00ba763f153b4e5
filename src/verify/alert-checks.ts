import { alarmDefinitions, alertEvents, alertTopicArn, ourEntry, sameAlarm } from '../plan/alert-documents.js';
import { PENDING_CONFIRMATION } from '../plan/alert-types.js';
import type { PolicyStatement } from '../plan/policy-types.js';
import { type Check, fail, pass, RERUN_WIZARD, type VerifyContext, warn } from './types.js';

/** Failure alerts checked against the same documents the plan writes; nothing to check without alert flags. */
const alertsOf = (vc: VerifyContext) => (vc.documents.input.alerts ? vc.prepared.live.alerts : undefined);

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Whether a statement lets `service` publish to the topic (conditions are read as may-allow, like policy-eval.ts). */
function letsPublish(statement: PolicyStatement, service: string, topicArn: string): boolean {
  const principal = statement.Principal;
  const services = principal === '*' ? ['*'] : list(principal?.Service);
  const actions = list(statement.Action).map((a) => a.toLowerCase());
  const resources = list(statement.Resource);
  return (
    (services.includes(service) || services.includes('*')) &&
    actions.some((a) => a === 'sns:publish' || a === 'sns:*' || a === '*') &&
    resources.some((r) => r === topicArn || r === '*')
  );
}

const publishVerdict = (statements: PolicyStatement[], service: string, topicArn: string): 'allowed' | 'denied' | 'missing' => {
  if (statements.some((s) => s.Effect === 'Deny' && s.Condition === undefined && letsPublish(s, service, topicArn))) return 'denied';
  return statements.some((s) => s.Effect === 'Allow' && letsPublish(s, service, topicArn)) ? 'allowed' : 'missing';
};

export function topicChecks(vc: VerifyContext): Check[] {
  const alerts = alertsOf(vc);
  if (!alerts) return [];
  const topicArn = alertTopicArn(vc.documents);
  if (!alerts.topic.exists) return [fail('alerts.topic', `alerts topic ${topicArn} does not exist: no failure reaches anyone`, RERUN_WIZARD)];
  const statements = alerts.topic.policy?.Statement ?? [];
  const checks = [pass('alerts.topic', `alerts topic ${topicArn} exists`)];
  for (const [id, service, who] of [
    ['alerts.topic-policy.s3', 's3.amazonaws.com', `S3 (for ${vc.documents.input.source.bucket})`],
    ['alerts.topic-policy.alarms', 'cloudwatch.amazonaws.com', 'CloudWatch alarms'],
  ] as const) {
    const verdict = publishVerdict(statements, service, topicArn);
    checks.push(
      verdict === 'allowed'
        ? pass(id, `the topic policy lets ${who} publish`)
        : fail(
            id,
            `the topic policy ${verdict === 'denied' ? 'denies' : 'does not let'} ${who} publish${verdict === 'denied' ? '' : ' (sns:Publish for the service principal)'}: alerts are dropped`,
            `${RERUN_WIZARD} to put this setup's statements back into the topic policy${verdict === 'denied' ? ", and remove the Deny on sns:Publish (the tool never removes a user's statements)" : ''}`,
          ),
    );
  }
  return checks;
}

export function subscriptionChecks(vc: VerifyContext): Check[] {
  const alerts = alertsOf(vc);
  if (!alerts) return [];
  return vc.documents.input.alerts!.emails.map((email) => {
    const id = `alerts.subscription:${email}`;
    const found = alerts.subscriptions.find((s) => s.protocol === 'email' && s.endpoint.toLowerCase() === email.toLowerCase());
    if (!found) return fail(id, `${email} is not subscribed to the alerts topic`, RERUN_WIZARD);
    if (found.arn === PENDING_CONFIRMATION)
      return warn(
        id,
        `${email} has not confirmed the subscription yet: alerts do not reach it`,
        `Follow the link in the email "AWS Notification - Subscription Confirmation" sent to ${email}; ${RERUN_WIZARD.toLowerCase()} to send it again if it expired (after 3 days)`,
      );
    return pass(id, `${email} is subscribed (confirmed)`);
  });
}

export function notificationChecks(vc: VerifyContext): Check[] {
  const alerts = alertsOf(vc);
  if (!alerts) return [];
  const { bucket } = vc.documents.input.source;
  const entry = ourEntry(vc.documents.names.setupId, alerts.notification);
  const topicArn = alertTopicArn(vc.documents);
  if (!entry) return [fail('alerts.notification', `${bucket} sends no replication event to the alerts topic (its notification entry is gone)`, RERUN_WIZARD)];
  const missing = alertEvents(vc.documents).filter((event) => !(entry.Events ?? []).includes(event as never));
  if (entry.TopicArn !== topicArn || missing.length > 0)
    return [
      fail(
        'alerts.notification',
        `${bucket}'s notification entry ${entry.Id} ${entry.TopicArn !== topicArn ? `goes to ${entry.TopicArn}, not ${topicArn}` : `lacks ${missing.join(', ')}`}`,
        RERUN_WIZARD,
      ),
    ];
  return [pass('alerts.notification', `${bucket} sends ${(entry.Events ?? []).join(', ')} to the alerts topic`)];
}

export function alarmChecks(vc: VerifyContext): Check[] {
  const alerts = alertsOf(vc);
  if (!alerts) return [];
  return alarmDefinitions(vc.documents, alertTopicArn(vc.documents)).map((definition) => {
    const id = `alerts.alarm:${definition.AlarmName}`;
    const found = alerts.alarms.find((alarm) => alarm.definition.AlarmName === definition.AlarmName);
    if (!found) return fail(id, `alarm ${definition.AlarmName} (${definition.MetricName}) does not exist`, RERUN_WIZARD);
    if (!sameAlarm(found.definition, definition))
      return fail(id, `alarm ${definition.AlarmName} differs from the setup's (metric, dimensions, threshold or actions)`, RERUN_WIZARD);
    return pass(id, `alarm ${definition.AlarmName} watches ${definition.MetricName} of rule ${definition.Dimensions.at(-1)!.Value}`);
  });
}
