// The live display of a fleet at a terminal, as pure frames: no line wider than the terminal (a wrapped line would
// throw the in-place redraw off), and a terminal with fewer rows than setups shows what matters and counts the rest.
import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { liveFrame, type SetupLine } from '../src/report/fleet-progress.js';
import { truncateLine } from '../src/report/output.js';

const c = new Chalk({ level: 1 });
const setup = (name: string, phase: SetupLine['phase'], text: string = phase): SetupLine => ({ name, phase, text });

describe('the live lines of a fleet at a terminal', () => {
  it('one line per setup, names aligned, when they fit', () => {
    expect(liveFrame([setup('logs', 'running', 'Reading both accounts…'), setup('incidents', 'waiting')], { columns: 80, rows: 24 })).toEqual([
      'logs       Reading both accounts…',
      'incidents  waiting',
    ]);
  });

  it('cuts a long line to the width as shown, colours kept and not counted', () => {
    const long = `${c.green('✓')} Destination bucket policy: s3_replication_role may replicate into a-rather-long-destination-bucket-name`;
    const [line] = liveFrame([setup('incidents', 'running', long)], { columns: 60, rows: 24 });
    expect(stripVTControlCharacters(line!).length).toBeLessThanOrEqual(59);
    expect(stripVTControlCharacters(line!)).toMatch(/^incidents {2}✓ Destination bucket policy: .*…$/);
    expect(line).toContain(c.green('✓'));
    expect(truncateLine('short', 60)).toBe('short');
  });

  it('fewer rows than setups: the running first, then the waiting, then the finished, and a line counting the rest', () => {
    const setups = [
      ...Array.from({ length: 10 }, (_, i) => setup(`done-${i}`, 'finished', '✓ verified')),
      setup('busy-a', 'running', 'Applying changes…'),
      ...Array.from({ length: 5 }, (_, i) => setup(`later-${i}`, 'waiting')),
      setup('busy-b', 'running', 'Checking the setup…'),
    ];
    const frame = liveFrame(setups, { columns: 80, rows: 6 }).map((line) => line.trimEnd());
    expect(frame).toHaveLength(5);
    expect(frame.slice(0, 4).map((line) => line.split(/\s+/)[0])).toEqual(['busy-a', 'later-0', 'later-1', 'busy-b']);
    expect(frame[4]).toBe('… and 13 more (3 waiting, 10 finished)');
  });
});
