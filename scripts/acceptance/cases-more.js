// Log backup, and the two cases for features other branches add (Batch Replication, alerts): those run only when the
// built CLI's --help shows their flags, and are otherwise reported as "not available in this build", never as passed.
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateExportTaskCommand,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeExportTasksCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { setUp, setupFlags } from './accounts.js';
import { helpText, pollUntil, runCli } from './context.js';
import { awaitReplica, cliSucceeded, put } from './evidence.js';

const EXPORT_LIMIT_MS = 15 * 60_000;

export async function logBackupCase(ctx, record) {
  const same = setupFlags(ctx, 'logs-same', { destSide: 'source', destRegion: ctx.source.region, extra: ['--preset', 'log-backup'] });
  const other = setupFlags(ctx, 'logs-other', { extra: ['--preset', 'log-backup'] });
  const runs = [
    { label: 'same region, same account', setup: same },
    { label: `other region (${ctx.destination.region}), other account`, setup: other },
  ];
  if (ctx.destination.region === ctx.source.region) record.note(`both profiles use ${ctx.source.region}: the "other region" run is same-region`);
  const logGroupName = `/replicate-setup-acceptance/${ctx.runId}`;
  const { logs } = ctx.source.clients;
  ctx.cleanups.push({ kind: 'log-group', name: logGroupName });
  await logs.send(new CreateLogGroupCommand({ logGroupName, tags: { 'replicate-setup-acceptance': ctx.runId } }));
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'acceptance' }));
  await logs.send(
    new PutLogEventsCommand({ logGroupName, logStreamName: 'acceptance', logEvents: [{ timestamp: Date.now(), message: `acceptance ${ctx.runId}` }] }),
  );
  for (const run of runs) {
    if (!cliSucceeded(record, `wizard --preset log-backup (${run.label})`, await setUp(ctx, record.name, run.setup))) continue;
    const src = { s3: ctx.source.clients.s3, bucket: run.setup.names.src };
    const dst = { s3: run.setup.destClients.s3, bucket: run.setup.names.dst };
    if (!ctx.isAws) {
      record.unprovable(
        `a CloudWatch Logs export into ${src.bucket} replicates (${run.label})`,
        'the endpoint runs no export tasks into S3 and does not replicate',
      );
      continue;
    }
    // One export task at a time per account: the two runs take turns.
    const task = await logs.send(
      new CreateExportTaskCommand({
        logGroupName,
        from: Date.now() - 3_600_000,
        to: Date.now() + 60_000,
        destination: src.bucket,
        destinationPrefix: 'exportedlogs',
      }),
    );
    const { value: code, seconds } = await pollUntil(
      ctx,
      async () => {
        const found = await logs.send(new DescribeExportTasksCommand({ taskId: task.taskId }));
        const status = found.exportTasks?.[0]?.status?.code;
        return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(status) ? status : undefined;
      },
      { limitMs: EXPORT_LIMIT_MS, everyMs: 10_000 },
    );
    if (
      !record.check(
        `export task into ${src.bucket} completes`,
        code === 'COMPLETED',
        'COMPLETED within 15 min',
        code ?? `still running after ${seconds.toFixed(0)} s`,
      )
    )
      continue;
    record.latency(`export task (${run.label})`, seconds);
    const listed = await src.s3.send(new ListObjectsV2Command({ Bucket: src.bucket, Prefix: 'exportedlogs/' }));
    const exported = (listed.Contents ?? []).map((o) => o.Key).find((k) => k.includes(task.taskId)) ?? listed.Contents?.[0]?.Key;
    if (record.check(`the export wrote objects under exportedlogs/ in ${src.bucket}`, !!exported, 'at least one object', 'none')) {
      await awaitReplica(record, dst, exported);
    }
  }
}

/** Whether `wizard --help` lists `flag`. */
async function hasFlag(ctx, flag) {
  ctx.help ??= await helpText(ctx, 'wizard');
  return ctx.help.includes(flag);
}

async function hasCommand(ctx, command) {
  ctx.topHelp ??= await helpText(ctx);
  return new RegExp(`^\\s+${command}\\b`, 'm').test(ctx.topHelp);
}

export async function existingObjectsCase(ctx, record) {
  if (!(await hasFlag(ctx, '--replicate-existing'))) return record.unavailable('wizard --help has no --replicate-existing (Batch Replication)');
  // An emulator without the S3 Control jobs API (moto) cannot create the job at all: nothing to run here.
  if (!ctx.isAws)
    return record.unprovable(
      'objects put before the setup arrive through the Batch Replication job',
      'the endpoint has no S3 Batch Operations (S3 Control jobs) API',
    );
  const setup = setupFlags(ctx, 'existing', { extra: ['--replicate-existing'] });
  const src = { s3: ctx.source.clients.s3, bucket: setup.names.src };
  const dst = { s3: setup.destClients.s3, bucket: setup.names.dst };
  // The source bucket exists, with six objects, before the setup: the tool adopts it.
  ctx.setups.push({ label: record.name, flags: setup.flags });
  const location = ctx.source.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: ctx.source.region } };
  await src.s3.send(new CreateBucketCommand({ Bucket: src.bucket, ...location }));
  const keys = Array.from({ length: 6 }, (_, i) => `existing/object-${i + 1}.txt`);
  for (const key of keys) await put(src.s3, src.bucket, key);
  if (!cliSucceeded(record, 'wizard --replicate-existing sets up and starts the job', await setUp(ctx, record.name, setup))) return;
  if (await hasCommand(ctx, 'jobs')) {
    const jobs = await runCli(ctx, record.name, ['jobs', ...setup.flags]);
    cliSucceeded(record, '`jobs` reports the Batch Replication job', jobs);
  }
  for (const key of keys) await awaitReplica(record, dst, key, 60 * 60_000);
}

export async function alertsCase(ctx, record) {
  if (!(await hasFlag(ctx, '--alert-email'))) return record.unavailable('wizard --help has no --alert-email (replication alerts)');
  const email = `replicate-setup-acceptance+${ctx.runId}@example.com`;
  const setup = setupFlags(ctx, 'alerts', { extra: ['--alert-email', email] });
  ctx.alarms += 1;
  if (!cliSucceeded(record, 'wizard --alert-email sets up the alerts', await setUp(ctx, record.name, setup))) return;
  if (await hasCommand(ctx, 'status')) cliSucceeded(record, '`status` reports the setup', await runCli(ctx, record.name, ['status', ...setup.flags]));
  // Replication metrics are published in the source region with a SourceBucket dimension: find the alarm on them.
  const alarms = await ctx.source.clients.cloudwatch.send(new DescribeAlarmsCommand({}));
  const alarm = (alarms.MetricAlarms ?? []).find((a) => (a.Dimensions ?? []).some((d) => d.Name === 'SourceBucket' && d.Value === setup.names.src));
  if (!record.check(`a CloudWatch alarm watches replication of ${setup.names.src}`, !!alarm, 'an alarm with dimension SourceBucket', 'none')) return;
  const topic = (alarm.AlarmActions ?? []).find((a) => a.startsWith('arn:aws:sns:'));
  if (!record.check('the alarm notifies an SNS topic', !!topic, 'an SNS topic among AlarmActions', JSON.stringify(alarm.AlarmActions))) return;
  const region = topic.split(':')[3];
  const subs = await ctx.clients({ profile: ctx.source.profile }, region).sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }));
  const endpoints = (subs.Subscriptions ?? []).map((s) => s.Endpoint);
  record.check(`the topic has an email subscription for ${email}`, endpoints.includes(email), email, endpoints.join(', ') || 'no subscription');
  record.note('a real replication failure event cannot be forced cheaply, so the alarm firing is not tested');
}
