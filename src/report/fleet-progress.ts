import type { EngineEvent, EventSink } from '../engine/events.js';
import { type Output, truncateLine } from './output.js';

/** Where a setup is, for choosing which lines a terminal too short for all of them shows. */
export type SetupPhase = 'waiting' | 'running' | 'finished';

export interface SetupLine {
  name: string;
  phase: SetupPhase;
  /** What it is doing now, or its result (may hold colours). */
  text: string;
}

/**
 * Pure: the lines of the live display, one per setup, each cut to the terminal's width so no line wraps (a wrapped
 * line would throw the redraw's count of lines off). A terminal with fewer rows than setups shows the running ones
 * first, then the waiting, then the finished, in the file's order within each, and one last line for the rest;
 * the closing table lists every setup anyway.
 */
export function liveFrame(setups: readonly SetupLine[], { columns = 200, rows = 1000 }: { columns?: number; rows?: number }): string[] {
  const width = Math.max(...setups.map((s) => s.name.length));
  const line = (s: SetupLine) => truncateLine(`${s.name.padEnd(width)}  ${s.text}`, Math.max(columns - 1, 10));
  const room = Math.max(rows - 1, 2);
  if (setups.length <= room) return setups.map(line);
  const rank: Record<SetupPhase, number> = { running: 0, waiting: 1, finished: 2 };
  const shown = new Set(
    [...setups]
      .map((s, i) => ({ s, i }))
      .sort((a, b) => rank[a.s.phase] - rank[b.s.phase] || a.i - b.i)
      .slice(0, room - 1)
      .map(({ s }) => s),
  );
  const hidden = setups.filter((s) => !shown.has(s));
  const count = (phase: SetupPhase) => hidden.filter((s) => s.phase === phase).length;
  const rest = (['running', 'waiting', 'finished'] as const).flatMap((phase) => (count(phase) > 0 ? [`${count(phase)} ${phase}`] : []));
  return [...setups.filter((s) => shown.has(s)).map(line), truncateLine(`… and ${hidden.length} more (${rest.join(', ')})`, Math.max(columns - 1, 10))];
}

/**
 * Progress of many setups at once. At a terminal: one live line per setup (what it is doing now, or its result),
 * redrawn in place; elsewhere: plain lines, each prefixed with the setup's name. Silent with --json.
 */
export function fleetProgress(
  output: Output,
  names: readonly string[],
): { sinkFor(name: string): EventSink; finish(name: string, line: string): void; stop(): void } {
  const c = output.errColor;
  if (output.json) return { sinkFor: () => () => undefined, finish: () => undefined, stop: () => undefined };
  const live = output.stderrIsTTY && names.length > 1;
  const setups = new Map<string, SetupLine>(names.map((name) => [name, { name, phase: 'waiting', text: c.dim('waiting') }]));
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    timer = undefined;
    const lines = liveFrame([...setups.values()], output.stderrSize());
    // Up to the first line drawn last time, each line cleared as it is rewritten, and any left below cleared too.
    const stale = Math.max(drawn - lines.length, 0);
    output.redraw(
      `${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}\n`).join('')}${'\x1b[2K\n'.repeat(stale)}${stale > 0 ? `\x1b[${stale}A` : ''}`,
    );
    drawn = lines.length;
  };
  const update = (name: string, phase: SetupPhase, text: string, plain?: string): void => {
    setups.set(name, { name, phase, text });
    if (live) timer ??= setTimeout(draw, 80);
    else if (plain !== undefined) output.progress(`${name}: ${plain}`);
  };
  return {
    sinkFor: (name) => (event: EngineEvent) => {
      switch (event.type) {
        case 'phase':
          return update(name, 'running', c.dim(`${event.message}…`), c.dim(`${event.message}…`));
        case 'step-start':
          return update(name, 'running', `${event.change.title}…`);
        case 'step-waiting':
          return update(
            name,
            'running',
            c.yellow(`${event.change.title}: waiting for AWS to catch up (attempt ${event.attempt})`),
            c.yellow(`… ${event.change.title}: waiting`),
          );
        case 'step-progress':
          return update(name, 'running', `${event.change.title}: ${event.message}`);
        case 'step-done':
          return update(name, 'running', `${c.green('✓')} ${event.change.title}`, `${c.green('✓')} ${event.change.title}`);
        case 'step-failed':
          return update(name, 'running', `${c.red('✗')} ${event.change.title}`, `${c.red('✗')} ${event.change.title}: ${event.error.message}`);
      }
    },
    finish: (name, line) => update(name, 'finished', line, line),
    stop: () => {
      if (timer) {
        clearTimeout(timer);
        draw();
      }
    },
  };
}
