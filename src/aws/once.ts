import { isErrorNamed } from './errors.js';

/** What a process has read or written, by client and key; a WeakMap, so a client's memory goes with it. */
export type CallMemory<T> = WeakMap<object, Map<string, Promise<T>>>;

/**
 * One call per client and key for the life of the process, shared by whoever asks while it is under way. A failure
 * is forgotten, so the next caller tries again, unless `keepFailure` says it is an answer.
 */
export function once<T>(memory: CallMemory<T>, client: object, key: string, call: () => Promise<T>, keepFailure = (_error: unknown) => false): Promise<T> {
  if (!memory.has(client)) memory.set(client, new Map());
  const known = memory.get(client)!;
  const existing = known.get(key);
  if (existing) return existing;
  const calling = call();
  known.set(key, calling);
  calling.catch((error: unknown) => {
    if (!keepFailure(error)) known.delete(key);
  });
  return calling;
}

/** A read made once: "no such entity" is an answer and is kept (until the caller forgets it). */
export const readOnce = <T>(memory: CallMemory<T>, client: object, key: string, read: () => Promise<T>): Promise<T> =>
  once(memory, client, key, read, (error) => isErrorNamed(error, 'NoSuchEntity', 'NoSuchEntityException'));

/**
 * A call joined by whoever asks for the same while it is on its way, and never kept once it has answered: callers
 * asking at the same moment share one call, a later caller makes a fresh one. `forgetUnderWay` stops later callers
 * from joining a call already sent (after a write that its answer may predate).
 */
export function joinUnderWay<T>(memory: CallMemory<T>, client: object, key: string, call: () => Promise<T>): Promise<T> {
  const calling = once(memory, client, key, call);
  const settled = (): void => {
    if (memory.get(client)?.get(key) === calling) forgetUnderWay(memory, client, key);
  };
  calling.then(settled, settled);
  return calling;
}

export const forgetUnderWay = (memory: CallMemory<unknown>, client: object, key: string): void => {
  memory.get(client)?.delete(key);
};
