// The status views: asciichart draws at a terminal, plain figures without one; the verdict is pure.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderMetric } from '../src/report/status-view.js';
import type { MetricSeries } from '../src/status/types.js';
import { verdictOf } from '../src/status/verdict.js';

const series: MetricSeries = {
  metric: 'ReplicationLatency',
  ruleId: 'r',
  statistic: 'Maximum',
  unit: 'seconds',
  points: [5, 40, 12, 900, 30].map((value, i) => ({ at: `2030-01-01T00:0${i}:00.000Z`, value })),
};

describe('status view', () => {
  it('draws a chart at a terminal and plain figures without one', () => {
    const color = new Chalk({ level: 0 });
    const chart = renderMetric(series, { color, charts: true, width: 60 }, 1);
    expect(chart.split('\n').length).toBeGreaterThan(4);
    expect(chart).toMatch(/[╭╮╰╯│─]/);
    expect(renderMetric(series, { color, charts: false, width: 60 }, 1)).toBe('Replication latency (max, seconds): latest 30, highest 900 (5 points)');
  });

  it('verdict: degraded by latency beyond 15 minutes earlier in the window, failing without a rule', () => {
    const now = new Date('2030-01-01T01:00:00Z');
    const objects = { sampled: [], failed: [] };
    expect(verdictOf({ rules: ['r'], metrics: [series], alarms: [], objects }, now)).toEqual({ level: 'healthy', reason: 'no failures, no alarm firing' });
    const late = { ...series, points: [{ at: series.points[0]!.at, value: 1200 }] };
    expect(verdictOf({ rules: ['r'], metrics: [late], alarms: [], objects }, now).level).toBe('degraded');
    expect(verdictOf({ rules: [], metrics: [], alarms: [], objects }, now).level).toBe('failing');
  });
});
