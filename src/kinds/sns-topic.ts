import { createTopic, deleteTopic, setTopicPolicy } from '../aws/alerts.js';
import * as ops from '../aws/catalogue.js';
import { alertTopicSteps, alertTopicTeardown } from '../plan/alert-steps.js';
import { topicChecks } from '../verify/alert-checks.js';
import type { ResourceKind } from './contract.js';

/** The topic failure alerts go to: the setup's own (created, deleted by teardown) or --alert-topic (its policy only). */
export const snsTopicKind: ResourceKind<'sns-topic'> = {
  kind: 'sns-topic',
  plan: alertTopicSteps,
  teardown: alertTopicTeardown,
  order: () => 70,
  reads: [ops.sns.GetTopicAttributes],
  writes: (change) =>
    change.action === 'create'
      ? [ops.sns.CreateTopic, ops.sns.SetTopicAttributes]
      : change.action === 'delete'
        ? [ops.sns.DeleteTopic]
        : [ops.sns.SetTopicAttributes],
  async apply(change, { sns }) {
    if (change.action === 'create') await createTopic(sns, change.topicName, change.policy);
    else if (change.action === 'delete') await deleteTopic(sns, change.topicArn);
    else await setTopicPolicy(sns, change.topicArn, change.policy);
  },
  project(live, change, echo) {
    if (!live.alerts) return;
    live.alerts.topic =
      change.action === 'delete' ? { ...live.alerts.topic, exists: false } : { ...live.alerts.topic, exists: true, policy: echo.policy(change.policy, 'iam') };
    if (change.action === 'delete') live.alerts.subscriptions = [];
  },
  verify: { checks: topicChecks },
};
