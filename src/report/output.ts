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
  print(text: string): void;
  progress(text: string): void;
  emitJson(value: unknown): void;
}

export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

const colorLevel = (isTTY: boolean | undefined, env: NodeJS.ProcessEnv): 0 | 1 =>
  env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? 0 : isTTY ? 1 : env.FORCE_COLOR ? 1 : 0;

export function createOutput(json: boolean, streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Output {
  return {
    json,
    color: new Chalk({ level: colorLevel(streams.stdout.isTTY, streams.env) }),
    errColor: new Chalk({ level: colorLevel(streams.stderr.isTTY, streams.env) }),
    stderrIsTTY: !!streams.stderr.isTTY,
    print: (text) => {
      if (!json) streams.stdout.write(`${redact(text)}\n`);
    },
    progress: (text) => {
      if (!json) streams.stderr.write(`${redact(text)}\n`);
    },
    emitJson: (value) => {
      streams.stdout.write(`${redact(JSON.stringify(value, null, 2))}\n`);
    },
  };
}
