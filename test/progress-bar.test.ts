// The bar a counting step (emptying a bucket for teardown) shows at a terminal, and the lines a log gets instead.
import { describe, expect, it } from 'vitest';
import type { Change } from '../src/plan/changes.js';
import { createOutput } from '../src/report/output.js';
import { bar, progressReporter } from '../src/report/progress.js';

describe('progress of a counting step', () => {
  it('draws the share done, clamped to the bar', () => {
    expect(bar(0)).toBe(`[${'.'.repeat(20)}]`);
    expect(bar(0.5)).toBe(`[${'#'.repeat(10)}${'.'.repeat(10)}]`);
    expect(bar(1.7)).toBe(`[${'#'.repeat(20)}]`);
  });

  it('writes one plain line per batch when stderr is not a terminal', async () => {
    const written: string[] = [];
    const stream = { write: (text: string) => written.push(text) > 0, isTTY: false } as unknown as NodeJS.WriteStream;
    const output = createOutput(false, { stdout: stream, stderr: stream, env: { NO_COLOR: '1' } });
    const { sink, stop } = await progressReporter(output);
    const change = { id: 'source-bucket', title: 'Source bucket b' } as Change;
    sink({ type: 'step-progress', change, message: '1000 of 2500 object version(s) deleted', fraction: 0.4 });
    stop();
    expect(written.join('')).toContain('Source bucket b: 1000 of 2500 object version(s) deleted');
  });
});
