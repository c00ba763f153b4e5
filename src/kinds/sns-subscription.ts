import { subscribeEmail } from '../aws/alerts.js';
import * as ops from '../aws/catalogue.js';
import { alertSubscriptionSteps } from '../plan/alert-steps.js';
import { PENDING_CONFIRMATION } from '../plan/alert-types.js';
import { subscriptionChecks } from '../verify/alert-checks.js';
import type { ResourceKind } from './contract.js';

/**
 * An email subscription per --alert-email address. Never removed one by one: teardown deletes the setup's own topic
 * with its subscriptions, and a subscription to a user's topic cannot be told apart from the user's own.
 */
export const snsSubscriptionKind: ResourceKind<'sns-subscription'> = {
  kind: 'sns-subscription',
  plan: alertSubscriptionSteps,
  teardown: () => [],
  order: () => 71,
  reads: [ops.sns.ListSubscriptionsByTopic],
  writes: () => [ops.sns.Subscribe],
  async apply(change, { sns }) {
    if (change.action !== 'delete') await subscribeEmail(sns, change.topicArn, change.endpoint);
  },
  project(live, change) {
    if (!live.alerts || change.action === 'delete') return;
    const known = live.alerts.subscriptions.some((s) => s.protocol === change.protocol && s.endpoint === change.endpoint);
    if (!known) live.alerts.subscriptions.push({ protocol: change.protocol, endpoint: change.endpoint, arn: PENDING_CONFIRMATION });
  },
  verify: { checks: subscriptionChecks },
};
