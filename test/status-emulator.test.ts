// `status` against moto: metrics seeded with PutMetricData, alarm states driven with SetAlarmState, objects put in the
// source bucket. moto never sets x-amz-replication-status, so those tests wrap HeadObject (fault-injected) and say so.
import { Writable } from 'node:stream';
import { PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it, vi } from 'vitest';
import type { AwsClients } from '../src/aws/clients.js';
import { runStatusCommand } from '../src/commands/status-command.js';
import type { RawOptions } from '../src/input/options.js';
import { alarmNameOf } from '../src/plan/alert-names.js';
import { setupNames } from '../src/plan/names.js';
import { useEngineEmulator } from './support/engine.js';
import { SEED_RAW } from './support/fixtures.js';

const { emu, run } = useEngineEmulator();
const ALERTS: RawOptions = { ...SEED_RAW, alertEmail: ['ops@example.com'] };

function capture() {
  let text = '';
  const stdout = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY: false },
  );
  const stderr = new Writable({ write: (_c, _e, done) => done() });
  return { streams: { stdout, stderr, env: {} }, text: () => text };
}

async function ourRuleId(): Promise<string> {
  const r = await run(ALERTS);
  const change = r.prepared.plan.changes.find((c) => c.kind === 'replication');
  const id = setupNames(r.input, r.prepared.accounts).setupId;
  return (change?.kind === 'replication' ? change.configuration.Rules : []).find((rule) => rule.ID?.includes(id))!.ID!;
}

async function seedMetrics(ruleId: string, failed: number, latency: number): Promise<void> {
  const dimensions = [
    { Name: 'SourceBucket', Value: 'rubes-s3-bucket' },
    { Name: 'DestinationBucket', Value: 'clint-s3-bucket' },
    { Name: 'RuleId', Value: ruleId },
  ];
  const now = Date.now();
  await emu.clients('source').cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/S3',
      MetricData: [20, 10, 1].flatMap((minutesAgo, i) => [
        { MetricName: 'ReplicationLatency', Dimensions: dimensions, Value: latency * (i + 1), Timestamp: new Date(now - minutesAgo * 60_000), Unit: 'Seconds' },
        {
          MetricName: 'OperationsFailedReplication',
          Dimensions: dimensions,
          Value: i === 2 ? failed : 0,
          Timestamp: new Date(now - minutesAgo * 60_000),
          Unit: 'Count',
        },
        { MetricName: 'OperationsPendingReplication', Dimensions: dimensions, Value: 3 - i, Timestamp: new Date(now - minutesAgo * 60_000), Unit: 'Count' },
      ]),
    }),
  );
}

/** HeadObject answers with the replication status S3 would give (moto gives none): fault-injected. */
function withReplicationStatus(statuses: Record<string, string>) {
  return (clients: AwsClients): AwsClients => {
    const s3 = clients.source.s3;
    const send = s3.send.bind(s3);
    const wrapped = new Proxy(s3, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: unknown, ...rest: unknown[]) => {
          const answer = (await send(command as never, ...(rest as []))) as unknown as Record<string, unknown>;
          if (command instanceof HeadObjectCommand) return { ...answer, ReplicationStatus: statuses[command.input.Key ?? ''] };
          return answer;
        };
      },
    });
    return { ...clients, source: { ...clients.source, s3: wrapped } };
  };
}

const statusFlags = (extra: Record<string, unknown> = {}) => ({ ...ALERTS, endpointUrl: emu.endpoint, ...extra });

describe('status on the emulator', () => {
  it('healthy: seeded metrics in --json, alarms OK, the newest objects counted (statuses fault-injected: moto sets none)', async () => {
    const ruleId = await ourRuleId();
    await seedMetrics(ruleId, 0, 30);
    for (const name of ['failed-operations', 'latency'] as const) {
      const id = setupNames({ source: { bucket: 'rubes-s3-bucket' }, destination: { bucket: 'clint-s3-bucket' } } as never, emu.accounts).setupId;
      await emu.clients('source').cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarmNameOf(id, name), StateValue: 'OK', StateReason: 'seeded' }));
    }
    for (const key of ['a.txt', 'b.txt']) await emu.clients('source').s3.send(new PutObjectCommand({ Bucket: 'rubes-s3-bucket', Key: key, Body: key }));
    for (const [k, v] of Object.entries(emu.env)) vi.stubEnv(k, v);
    const out = capture();
    const code = await runStatusCommand(statusFlags({ json: true }), {
      streams: out.streams,
      wrapClients: withReplicationStatus({ 'a.txt': 'COMPLETED', 'b.txt': 'PENDING' }),
    });
    const report = JSON.parse(out.text());
    expect(code).toBe(0);
    expect(report.verdict.level).toBe('healthy');
    expect(report.rules).toEqual([ruleId]);
    const latency = report.metrics.find((m: { metric: string }) => m.metric === 'ReplicationLatency');
    expect(latency.points.map((p: { value: number }) => p.value)).toEqual([30, 60, 90]);
    expect(report.alarms.map((a: { state: string }) => a.state)).toEqual(['OK', 'OK']);
    expect(report.objects.counts).toMatchObject({ COMPLETED: 1, PENDING: 1, FAILED: 0 });
  });

  it('failing: an alarm driven to ALARM and a FAILED object (fault-injected status) are named; exit 1; plain figures without a terminal', async () => {
    const ruleId = await ourRuleId();
    await seedMetrics(ruleId, 4, 100);
    const id = setupNames({ source: { bucket: 'rubes-s3-bucket' }, destination: { bucket: 'clint-s3-bucket' } } as never, emu.accounts).setupId;
    await emu
      .clients('source')
      .cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarmNameOf(id, 'failed-operations'), StateValue: 'ALARM', StateReason: 'Threshold Crossed' }));
    await emu.clients('source').s3.send(new PutObjectCommand({ Bucket: 'rubes-s3-bucket', Key: 'broken.bin', Body: 'x' }));
    for (const [k, v] of Object.entries(emu.env)) vi.stubEnv(k, v);
    const out = capture();
    const code = await runStatusCommand(statusFlags(), { streams: out.streams, wrapClients: withReplicationStatus({ 'broken.bin': 'FAILED' }) });
    expect(code).toBe(1);
    const text = out.text();
    expect(text.split('\n')[0]).toMatch(/^FAILING: alarm replicate-setup-alerts-[0-9a-f]{12}-failed-operations is firing/);
    expect(text).toContain('Failed operations (sum): total 4');
    expect(text).toContain('Replication latency (max, seconds): latest 300, highest 300');
    expect(text).toMatch(/FAILED broken\.bin/);
  });

  it('--watch refreshes on an injected interval until the wait says stop', async () => {
    await ourRuleId();
    for (const [k, v] of Object.entries(emu.env)) vi.stubEnv(k, v);
    const out = capture();
    const waits: number[] = [];
    const code = await runStatusCommand(statusFlags({ watch: true }), {
      streams: out.streams,
      watchIntervalMs: 5,
      wait: async (ms) => {
        waits.push(ms);
        return waits.length < 3;
      },
    });
    expect(code).toBe(0);
    expect(waits).toEqual([5, 5, 5]);
    expect(out.text().match(/^HEALTHY/gm)).toHaveLength(3);
  });
});
