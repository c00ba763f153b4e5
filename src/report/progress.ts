import type { EngineEvent, EventSink } from '../engine/events.js';
import type { Output } from './output.js';

/**
 * Turns engine events into what a person watches: a spinner naming the steps under way on a terminal, plain lines
 * elsewhere. Silent in --json mode. Returns the sink and a stop function for the end of the run.
 */
export async function progressReporter(output: Output): Promise<{ sink: EventSink; stop: () => void }> {
  if (output.json) return { sink: () => undefined, stop: () => undefined };
  const c = output.errColor;
  const running = new Map<string, string>();
  // The terminal keeps its own Ctrl-C: ora's default (discardStdin) puts stdin in raw mode and turns the key into a
  // process.emit('SIGINT') that nothing outside an apply listens to, so `plan` and `verify` went on to the end.
  const spinner = output.stderrIsTTY
    ? (await import('ora')).default({ stream: process.stderr, color: c.level > 0 ? 'cyan' : false, discardStdin: false })
    : undefined;
  // One line however many steps run at once: the first one's title and how many others.
  const underWay = (): string => {
    const [first, ...others] = [...running.values()];
    return others.length > 0 ? `${first} (+${others.length} more)` : (first ?? '');
  };
  const persist = (line: string): void => {
    if (spinner?.isSpinning) spinner.clear();
    output.progress(line);
    if (spinner && running.size > 0) spinner.start(underWay());
  };
  const sink = (event: EngineEvent): void => {
    switch (event.type) {
      case 'phase':
        if (spinner) spinner.start(event.message);
        else output.progress(c.dim(`${event.message}…`));
        return;
      case 'step-start':
        running.set(event.change.id, event.change.title);
        if (spinner) spinner.start(underWay());
        return;
      case 'step-waiting':
        persist(
          c.yellow(
            `… ${event.change.title}: waiting for AWS to catch up (IAM propagation or a change still in progress; attempt ${event.attempt}, retrying in ${Math.round(event.delayMs / 1000)} s)`,
          ),
        );
        return;
      case 'step-progress':
        // On a terminal the spinner's line counts up; a log gets one line per batch.
        if (spinner) spinner.start(`${event.change.title}: ${event.fraction === undefined ? '' : `${bar(event.fraction)} `}${event.message}`);
        else output.progress(c.dim(`  ${event.change.title}: ${event.message}`));
        return;
      case 'step-done':
        running.delete(event.change.id);
        persist(`${c.green('✓')} ${event.change.title}`);
        if (spinner && running.size === 0) spinner.stop();
        return;
      case 'step-failed':
        running.delete(event.change.id);
        persist(`${c.red('✗')} ${event.change.title}: ${event.error.message}`);
        if (spinner && running.size === 0) spinner.stop();
        return;
    }
  };
  return { sink, stop: () => spinner?.stop() };
}

/** A progress bar as wide as a short word list, for a step that counts (emptying a bucket). */
export function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
