import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';
import { Chalk, type ChalkInstance } from 'chalk';
import { redact } from '../secrets.js';

/**
 * Where the CLI writes. Human text goes to stdout, progress to stderr; in --json mode stdout carries exactly one JSON
 * object and human text is off. Colour only on a TTY and never with NO_COLOR. Everything is redacted on the way out.
 */
export interface Output {
  json: boolean;
  /** Colours for text written to stdout. */
  color: ChalkInstance;
  /** Colours for progress written to stderr. */
  errColor: ChalkInstance;
  stderrIsTTY: boolean;
  /** The terminal stderr is, in characters (undefined when it is not one, or does not say). */
  stderrSize(): { columns?: number; rows?: number };
  print(text: string): void;
  /** As print, never wrapped to the terminal: a command to copy and paste must stay one line. */
  printWhole(text: string): void;
  progress(text: string): void;
  /** Writes to stderr as given (cursor movements included), redacted: a display that redraws itself in place. */
  redraw(text: string): void;
  emitJson(value: unknown): void;
}

export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  env: NodeJS.ProcessEnv;
}

// A terminal that says it has no features (TERM=dumb: an editor's shell, some CI logs) gets no colour either.
const colorLevel = (isTTY: boolean | undefined, env: NodeJS.ProcessEnv): 0 | 1 =>
  env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? 0 : isTTY && env.TERM !== 'dumb' ? 1 : env.FORCE_COLOR ? 1 : 0;

export function createOutput(json: boolean, streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Output {
  return {
    json,
    color: new Chalk({ level: colorLevel(streams.stdout.isTTY, streams.env) }),
    errColor: new Chalk({ level: colorLevel(streams.stderr.isTTY, streams.env) }),
    stderrIsTTY: !!streams.stderr.isTTY,
    stderrSize: () => (streams.stderr.isTTY ? { columns: streams.stderr.columns, rows: streams.stderr.rows } : {}),
    redraw: (text) => {
      if (!json) streams.stderr.write(redact(text));
    },
    print: (text) => {
      if (!json) streams.stdout.write(`${fitTo(streams.stdout, redact(text))}\n`);
    },
    printWhole: (text) => {
      if (!json) streams.stdout.write(`${redact(text)}\n`);
    },
    progress: (text) => {
      if (!json) streams.stderr.write(`${fitTo(streams.stderr, redact(text))}\n`);
    },
    emitJson: (value) => {
      streams.stdout.write(`${redact(JSON.stringify(value, null, 2))}\n`);
    },
  };
}

// wrap-ansi (with string-width's large emoji table, about 20 ms to load) is needed only to wrap text at a terminal:
// loaded on first use, synchronously (Node 22.12+ requires ES modules), so runs in a pipe or a CI log never pay for it.
const requireModule = createRequire(import.meta.url);
let wrapAnsiLoaded: typeof import('wrap-ansi').default | undefined;
const wrapAnsi: typeof import('wrap-ansi').default = (...args) => {
  wrapAnsiLoaded ??= (requireModule('wrap-ansi') as typeof import('wrap-ansi')).default;
  return wrapAnsiLoaded(...args);
};

/** A line cut to `columns` characters as shown (colours kept, escape codes not counted), or left whole when it fits. */
export function truncateLine(line: string, columns: number): string {
  if (stripVTControlCharacters(line).length <= columns) return line;
  return `${wrapAnsi(line, Math.max(columns - 1, 1), { hard: true, trim: false, wordWrap: false }).split('\n')[0]}…`;
}

/** The indent a wrapped line continues at: its own indent plus a leading mark (`✓ `, `+ create `, `• `, `→ `). */
const HANGING = /^(\s*(?:[+~=-] (?:create|update|delete|no-op)\s+|\S{1,2} )?)/;

/**
 * Each line wrapped to the terminal's width at word boundaries (wrap-ansi keeps colours intact), continued under
 * its text rather than at column 0. Not a terminal (a file, a pipe): lines are left whole for tools to read.
 */
// Colour codes next to the spaces at a break (`word \x1b[39m`) would keep String.trim from reaching them, and the
// pieces joined again would hold two spaces where the text had one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC, which starts every colour code, is what it must match.
const EDGE_SPACES = /^((?:\u001b\[[0-9;]*m)*)\s+|\s+((?:\u001b\[[0-9;]*m)*)$/g;
const trimAroundCodes = (part: string): string => part.replace(EDGE_SPACES, '$1$2');

export function wrapLines(text: string, columns: number): string {
  return text
    .split('\n')
    .map((line) => {
      const plain = stripVTControlCharacters(line);
      if (plain.length <= columns) return line;
      const indent = Math.min(HANGING.exec(plain)?.[1]?.length ?? 0, Math.floor(columns / 2));
      // Never `hard`: a word longer than the line (an ARN, a bucket name, a flag's value) stays whole and overflows,
      // for the terminal to show; split, it would read as two words and paste as two.
      const body = wrapAnsi(line, columns, { hard: false, trim: false, wordWrap: true });
      const [first, ...rest] = body.split('\n');
      if (rest.length === 0) return first!;
      const tail = wrapAnsi(rest.map(trimAroundCodes).join(' '), columns - indent, { hard: false });
      return [first!.trimEnd(), ...tail.split('\n').map((part) => `${' '.repeat(indent)}${part}`)].join('\n');
    })
    .join('\n');
}

const fitTo = (stream: OutputStreams['stdout'], text: string): string =>
  stream.isTTY && stream.columns && stream.columns > 20 ? wrapLines(text, stream.columns) : text;
