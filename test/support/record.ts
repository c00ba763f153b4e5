// Records every command the engine sends, on the real SDK clients, through the middleware stack: what was SENT is
// the truth where moto's read-back is lossy (replication Filter, DeleteMarkerReplication, SourceSelectionCriteria).
import { OPERATIONS } from '../../src/aws/catalogue.js';
import type { AwsClients } from '../../src/aws/clients.js';

export interface SentCall {
  side: 'source' | 'destination';
  service: 's3' | 'iam' | 'sts' | 'kms';
  /** The command name without the `Command` suffix, e.g. `PutBucketReplication`. */
  command: string;
  input: Record<string, unknown>;
}

/** Commands that change something; everything else the engine sends only reads. */
export const isWrite = (call: SentCall): boolean => /^(Put|Create|Update|Delete|Tag|Attach|Schedule|Enable)/.test(call.command);

interface MiddlewareStackLike {
  add(middleware: unknown, options: { step: 'initialize'; name: string }): void;
}

export function recordCalls(clients: AwsClients): SentCall[] {
  const calls: SentCall[] = [];
  for (const side of ['source', 'destination'] as const) {
    for (const service of ['s3', 'iam', 'sts', 'kms'] as const) {
      const stack = clients[side][service].middlewareStack as unknown as MiddlewareStackLike;
      stack.add(
        (next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: { commandName?: string }) =>
          async (args: { input: Record<string, unknown> }) => {
            const command = (context.commandName ?? '?').replace(/Command$/, '');
            // Every call the tool makes must be in the catalogue its permissions and remedies come from.
            if (!OPERATIONS.has(`${service}:${command}`))
              throw new Error(`${service}:${command} is not in the catalogue of AWS operations (src/aws/catalogue.ts)`);
            // A deep copy: the SDK serialises the input object later, and the caller may reuse it.
            calls.push({ side, service, command, input: structuredClone(args.input) });
            return next(args);
          },
        { step: 'initialize', name: `record-${side}-${service}` },
      );
    }
  }
  return calls;
}
