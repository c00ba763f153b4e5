// Reports wrap at the terminal's width at word boundaries with a hanging indent (wrap-ansi), and are left whole when
// stdout is a file or a pipe.

import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { createOutput, wrapLines } from '../src/report/output.js';

const collector = (isTTY: boolean, columns?: number) => {
  let text = '';
  return Object.assign(
    {
      write: (chunk: string) => {
        text += chunk;
        return true;
      },
    },
    { isTTY, columns, text: () => text },
  ) as unknown as NodeJS.WritableStream & {
    isTTY: boolean;
    columns?: number;
    text: () => string;
  };
};

const LONG = '  ✓ source.bucket-policy  the source bucket policy lets tom-cruise list and read, and names nobody else in account 222222222222';

describe('wrapping to the terminal', () => {
  it('breaks between words, never inside one, and continues under the text', () => {
    const wrapped = wrapLines(LONG, 50).split('\n');
    expect(wrapped.length).toBeGreaterThan(2);
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(50);
    for (const line of wrapped.slice(1)) expect(line.startsWith('    ')).toBe(true);
    // Every word survives whole.
    expect(wrapped.map((line) => line.trim()).join(' ')).toBe(LONG.trim());
  });

  it('keeps colours intact across the break', () => {
    const c = new Chalk({ level: 1 });
    const wrapped = wrapLines(`  ${c.green('✓')} ${c.red('word '.repeat(20).trim())}`, 40);
    expect(wrapped).toContain('\u001b[31m');
    expect(wrapped.split('\n').length).toBeGreaterThan(1);
  });

  it('never splits a word longer than the line (an ARN, a bucket name): it overflows whole', () => {
    const arn = 'arn:aws:sns:ap-southeast-1:111111111111:replicate-setup-alerts-dc6611204c2e';
    const wrapped = wrapLines(`  • The topic ${arn} exists already and is kept as it is`, 40);
    expect(wrapped.split('\n').some((line) => line.trim() === arn)).toBe(true);
    expect(wrapped.replace(/\s+/g, ' ').trim()).toBe(`• The topic ${arn} exists already and is kept as it is`);
  });

  it('puts no second space where a coloured phrase met the break', () => {
    const c = new Chalk({ level: 1 });
    const line = `  ${c.yellow('!')} simulate.reader ${c.dim('moto has no policy')} ${c.red('evaluator here, so the simulator')} was not asked about tom-cruise`;
    for (const columns of [20, 30, 40, 50, 60]) {
      const joined = stripVTControlCharacters(wrapLines(line, columns))
        .split('\n')
        .map((part) => part.trim())
        .join(' ');
      expect(joined, `at ${columns} columns`).toBe(stripVTControlCharacters(line).trim());
    }
  });

  it('printWhole leaves a command to copy on one line, whatever the terminal width', () => {
    const tty = collector(true, 40);
    const command = 'npx replicate-setup teardown --source-profile xyz --source-bucket rubes-s3-bucket --dest-profile abcd';
    createOutput(false, { stdout: tty, stderr: collector(false), env: { NO_COLOR: '1' } }).printWhole(command);
    expect(tty.text()).toBe(`${command}\n`);
  });

  it('TERM=dumb at a terminal gets no colour, as NO_COLOR does', () => {
    const output = createOutput(false, { stdout: collector(true, 80), stderr: collector(true, 80), env: { TERM: 'dumb' } });
    expect(output.color.level).toBe(0);
    expect(output.errColor.level).toBe(0);
    expect(createOutput(false, { stdout: collector(true, 80), stderr: collector(true, 80), env: { TERM: 'xterm' } }).color.level).toBe(1);
  });

  it('wraps at the width of a terminal, and not at all for a file', () => {
    const tty = collector(true, 60);
    const file = collector(false);
    const output = createOutput(false, { stdout: tty, stderr: file, env: { NO_COLOR: '1' } });
    output.print(LONG);
    output.progress(LONG);
    expect(
      tty
        .text()
        .split('\n')
        .every((line) => line.length <= 60),
    ).toBe(true);
    expect(file.text()).toBe(`${LONG}\n`);
  });
});
