import { writeNotification } from '../aws/alerts.js';
import * as ops from '../aws/catalogue.js';
import { bucketNotificationSteps, bucketNotificationTeardown } from '../plan/alert-steps.js';
import { notificationChecks } from '../verify/alert-checks.js';
import type { ResourceKind } from './contract.js';

/**
 * The source bucket's event notifications: this setup's replication events to the alerts topic, written back with
 * every topic, queue, Lambda and EventBridge setting the bucket already had (the call replaces the whole configuration).
 */
export const bucketNotificationKind: ResourceKind<'bucket-notification'> = {
  kind: 'bucket-notification',
  plan: bucketNotificationSteps,
  teardown: bucketNotificationTeardown,
  order: () => 72,
  reads: [ops.s3.GetBucketNotificationConfiguration],
  writes: () => [ops.s3.PutBucketNotificationConfiguration],
  // A delete writes the configuration without this setup's entry, like an update: an empty one removes them all.
  apply: (change, { s3 }) => writeNotification(s3, change.bucket, change.configuration),
  project(live, change) {
    if (live.alerts) live.alerts.notification = structuredClone(change.configuration);
  },
  verify: { checks: notificationChecks },
};
