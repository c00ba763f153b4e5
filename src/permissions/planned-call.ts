// One AWS call a command of a setup makes, and how a list of them is made: the unit every scope's policy is built from.
import type { Operation } from '../aws/operation.js';
import type { Side } from '../plan/changes.js';

/**
 * One AWS call a command of this setup makes: its catalogue operation and the request's resource-naming fields, as
 * the call will send them. Fields left out are not known before the call (a new key's id, a reader's groups): the
 * catalogue's template fills them with `*`.
 */
export interface PlannedCall {
  side: Side;
  operation: Operation;
  request: Record<string, unknown>;
}

export const sides: readonly Side[] = ['source', 'destination'];

/** Every operation of `operations` whose resource templates name only fields `request` has. */
export function callsOn(side: Side, operations: readonly Operation[], request: Record<string, unknown>): PlannedCall[] {
  return operations.filter((operation) => fitsRequest(operation, request)).map((operation) => ({ side, operation, request }));
}

function fitsRequest(operation: Operation, request: Record<string, unknown>): boolean {
  const fields = operation.grants.flatMap((grant) => [...grant.resource.matchAll(/\{([\w]+)[\w.]*\}/g)].map((m) => m[1]!));
  return fields.every((field) => field === 'account' || field === 'region' || field in request);
}
