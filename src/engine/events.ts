import type { ReplicateSetupError } from '../errors.js';
import type { Change } from '../plan/changes.js';

/**
 * What the engine tells its host. The engine never prints or prompts: the CLI turns these into spinners, JSON or
 * nothing, and tests simply collect them.
 */
export type EngineEvent =
  | { type: 'phase'; phase: 'read' | 'apply' | 'verify'; message: string }
  | { type: 'step-start'; change: Change }
  | { type: 'step-done'; change: Change }
  | { type: 'step-waiting'; change: Change; attempt: number; delayMs: number; reason: string }
  /** A long step's progress, e.g. emptying a bucket: "2000 object version(s) deleted". */
  | { type: 'step-progress'; change: Change; message: string; fraction?: number }
  | { type: 'step-failed'; change: Change; error: ReplicateSetupError };

export type EventSink = (event: EngineEvent) => void;

export const ignoreEvents: EventSink = () => undefined;
