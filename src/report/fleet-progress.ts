import type { EngineEvent, EventSink } from '../engine/events.js';
import type { Output } from './output.js';

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
  const width = Math.max(...names.map((n) => n.length));
  const status = new Map(names.map((name) => [name, c.dim('waiting')]));
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    timer = undefined;
    const lines = names.map((name) => `${name.padEnd(width)}  ${status.get(name)}`.slice(0, (process.stderr.columns ?? 200) - 1 + 20));
    process.stderr.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((line) => `\x1b[2K${line}\n`).join('')}`);
    drawn = lines.length;
  };
  const update = (name: string, text: string, plain?: string): void => {
    status.set(name, text);
    if (live) timer ??= setTimeout(draw, 80);
    else if (plain !== undefined) output.progress(`${name}: ${plain}`);
  };
  return {
    sinkFor: (name) => (event: EngineEvent) => {
      switch (event.type) {
        case 'phase':
          return update(name, c.dim(`${event.message}…`), c.dim(`${event.message}…`));
        case 'step-start':
          return update(name, `${event.change.title}…`);
        case 'step-waiting':
          return update(
            name,
            c.yellow(`${event.change.title}: waiting for AWS to catch up (attempt ${event.attempt})`),
            c.yellow(`… ${event.change.title}: waiting`),
          );
        case 'step-progress':
          return update(name, `${event.change.title}: ${event.message}`);
        case 'step-done':
          return update(name, `${c.green('✓')} ${event.change.title}`, `${c.green('✓')} ${event.change.title}`);
        case 'step-failed':
          return update(name, `${c.red('✗')} ${event.change.title}`, `${c.red('✗')} ${event.change.title}: ${event.error.message}`);
      }
    },
    finish: (name, line) => update(name, line, line),
    stop: () => {
      if (timer) {
        clearTimeout(timer);
        draw();
      }
    },
  };
}
