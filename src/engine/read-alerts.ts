import { describeAlarms, listSubscriptions, readNotification, readTopic } from '../aws/alerts.js';
import type { AccountClients } from '../aws/clients.js';
import { call } from '../aws/errors.js';
import type { InputProblem } from '../errors.js';
import { credentialsPhrase } from '../input/credentials.js';
import { problemAt } from '../input/options.js';
import type { Accounts, SetupInput } from '../input/types.js';
import { parseTopicArn } from '../input/validate-alerts.js';
import { ourEntry } from '../plan/alert-documents.js';
import { alarmListingPrefix, alertTopicName, isAlarmOfSetup, topicArnOf } from '../plan/alert-names.js';
import type { LiveAlerts } from '../plan/alert-types.js';
import type { LiveBucket } from '../plan/live.js';
import { setupNames } from '../plan/names.js';

export interface AlertsRead {
  alerts: LiveAlerts;
  problems: InputProblem[];
}

/**
 * The live state of a setup's alerts, read-only, in the source account and region: the topic (--alert-topic, else the
 * one this setup's notification entry names, else the setup's own by name), its subscriptions, the source bucket's
 * whole notification configuration and this setup's alarms. A --alert-topic that is missing or in another account is
 * a problem of the input, returned so preflight lists it with the others.
 */
export async function readLiveAlerts(input: SetupInput, clients: AccountClients, accounts: Accounts, source: LiveBucket): Promise<AlertsRead> {
  const { setupId } = setupNames(input, accounts);
  const read = <T>(doing: string, run: () => Promise<T>): Promise<T> => call({ doing, profile: clients.profile }, run);
  const bucket = input.source.bucket;
  const [notification, alarms] = await Promise.all([
    source.ownership === 'ours' ? read(`reading the event notifications of ${bucket}`, () => readNotification(clients.s3, bucket)) : {},
    read('reading the alarms of this setup', () => describeAlarms(clients.cloudwatch, alarmListingPrefix(setupId))),
  ]);
  const ownArn = topicArnOf(input.source.region, accounts.source, alertTopicName(setupId));
  const topicArn = input.alerts?.topicArn ?? ourEntry(setupId, notification)?.TopicArn ?? ownArn;
  const problems: InputProblem[] = [];
  const given = input.alerts?.topicArn ? parseTopicArn(input.alerts.topicArn) : undefined;
  if (given && given.account !== accounts.source) {
    problems.push(
      problemAt(
        'alertTopic',
        `"${topicArn}" is in account ${given.account}, not the source account ${accounts.source} (${credentialsPhrase(input.source.profile)}): the tool can only set the policy of a topic in the source account`,
      ),
    );
  }
  const topic = problems.length > 0 ? undefined : await read(`reading alerts topic ${topicArn}`, () => readTopic(clients.sns, topicArn));
  if (given && problems.length === 0 && !topic) {
    problems.push(
      problemAt('alertTopic', `no SNS topic "${topicArn}" in account ${accounts.source}: give an existing topic, or leave the flag out to have one created`),
    );
  }
  const subscriptions = topic ? await read(`listing the subscriptions of ${topicArn}`, () => listSubscriptions(clients.sns, topicArn)) : [];
  return {
    alerts: {
      topic: { arn: topicArn, exists: !!topic, ours: topicArn === ownArn, ...(topic?.policy ? { policy: topic.policy } : {}) },
      subscriptions,
      notification,
      alarms: alarms.filter((alarm) => isAlarmOfSetup(setupId, alarm.definition.AlarmName)),
    },
    problems,
  };
}
