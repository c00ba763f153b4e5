import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ControlClient } from '@aws-sdk/client-s3-control';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { STSClient } from '@aws-sdk/client-sts';
import pLimit, { type LimitFunction } from 'p-limit';
import {
  type CallPlace,
  type CommandClass,
  commandOf,
  type Grant,
  type Operation,
  type RequestOf,
  type ResponseOf,
  resourceOf,
  type Service,
} from './operation.js';

/**
 * The one place the tool talks to AWS: every call names its catalogue operation (aws/catalogue.ts). A failed call
 * carries its operation and resource, so the error a person reads names the exact permission that was missing.
 */
export type ClientOf<S extends Service> = {
  s3: S3Client;
  iam: IAMClient;
  kms: KMSClient;
  sts: STSClient;
  s3control: S3ControlClient;
  sns: SNSClient;
  cloudwatch: CloudWatchClient;
}[S];

interface Sender {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Where a client's calls land: its account (once known) and region, for the resources in error remedies. */
const places = new WeakMap<object, CallPlace>();

/** Registers the clients of one account under one shared place; the account is filled in once it is known. */
export function placeClients(clients: readonly object[], place: CallPlace): void {
  for (const client of clients) places.set(client, place);
}

export const placeOf = (client: object): CallPlace | undefined => places.get(client);

/** How long one call may wait for an answer, SDK retries included, and what to name when it gets none. */
interface CallDeadline {
  ms: number;
  endpoint: string;
}
const deadlines = new WeakMap<object, CallDeadline>();

export function boundCalls(clients: readonly object[], deadline: CallDeadline): void {
  for (const client of clients) deadlines.set(client, deadline);
}

/**
 * Runs one SDK send under the client's deadline: an endpoint that accepts connections and never answers fails the
 * call with a TimeoutError naming the endpoint (a NETWORK error), instead of the SDK's retries of long timeouts.
 */
async function withinDeadline<T>(client: object, run: (signal?: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const deadline = deadlines.get(client);
  if (!deadline) return run(signal);
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = Object.assign(new Error(`no answer from ${deadline.endpoint} within ${Math.round(deadline.ms / 1000)} s`), { name: 'TimeoutError' });
      controller.abort(error);
      reject(error);
    }, deadline.ms);
  });
  try {
    return await Promise.race([run(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * At most this many calls in flight per account and service. IAM's control plane throttles early, so it gets few: a
 * fleet's setups share one limiter per account and service, and fifty setups never send fifty CreateRole calls at
 * once. S3's bucket-configuration calls (and the rest) take far more, and one setup's closing verify sends about
 * twenty of them at once: a limit of 8 there would make a second round trip. REPLICATE_SETUP_MAX_CALLS sets one limit
 * for every service.
 */
export const DEFAULT_MAX_CALLS_PER_SERVICE = 8;
export const DEFAULT_MAX_CALLS_PER_DATA_SERVICE = 32;
const FEW_CALLS_SERVICES = new Set(['iam', 'sts']);
const limiters = new Map<string, LimitFunction>();
const limiterOf = new WeakMap<object, LimitFunction>();

export function maxCallsPerService(env: NodeJS.ProcessEnv = process.env, service = 'iam'): number {
  const given = Number(env.REPLICATE_SETUP_MAX_CALLS);
  if (Number.isInteger(given) && given > 0) return given;
  return FEW_CALLS_SERVICES.has(service) ? DEFAULT_MAX_CALLS_PER_SERVICE : DEFAULT_MAX_CALLS_PER_DATA_SERVICE;
}

/** Puts a client's calls in the queue of `key` (endpoint, credentials, service): clients with one key share it. */
export function limitCalls(client: object, key: string, service: string): void {
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = pLimit(maxCallsPerService(process.env, service));
    limiters.set(key, limiter);
  }
  limiterOf.set(client, limiter);
}

export async function send<C extends CommandClass, S extends Service>(
  client: ClientOf<S>,
  operation: Operation<C, S>,
  request: RequestOf<C>,
  options?: { abortSignal?: AbortSignal },
): Promise<ResponseOf<C>> {
  try {
    const Command = commandOf(operation);
    const sendIt = (abortSignal?: AbortSignal): Promise<unknown> =>
      (client as unknown as Sender).send(new Command(request), abortSignal ? { ...options, abortSignal } : options);
    const limiter = limiterOf.get(client);
    const call = (): Promise<unknown> => withinDeadline(client, sendIt, options?.abortSignal);
    return (await (limiter ? limiter(call) : call())) as ResponseOf<C>;
  } catch (error) {
    tagFailure(error, operation, request, places.get(client) ?? {});
    throw error;
  }
}

/**
 * Every page of an IAM list operation (Marker / IsTruncated), items gathered by `items`. The SDK's paginators would
 * send the same commands behind the catalogue's back.
 */
export async function sendAll<C extends CommandClass, T>(
  client: IAMClient,
  operation: Operation<C, 'iam'>,
  request: RequestOf<C>,
  items: (page: ResponseOf<C>) => T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  do {
    const page = await send(client, operation, { ...request, ...(marker ? { Marker: marker } : {}) });
    all.push(...(items(page) ?? []));
    const { IsTruncated, Marker } = page as { IsTruncated?: boolean; Marker?: string };
    marker = IsTruncated ? Marker : undefined;
  } while (marker);
  return all;
}

/** What a failed call was: the operation, and each IAM action it needed on the resource it acted on. */
export interface FailedCall {
  operation: string;
  grants: Grant[];
}

/** "s3:PutReplicationConfiguration on arn:aws:s3:::b and iam:PassRole on arn:aws:iam::1:role/r", as a remedy says it. */
export function describeNeeds(grants: readonly Grant[]): string {
  const byResource = new Map<string, string[]>();
  for (const { action, resource } of grants) byResource.set(resource, [...new Set([...(byResource.get(resource) ?? []), action])]);
  return [...byResource].map(([resource, actions]) => `${actions.join(' and ')}${resource === '*' ? '' : ` on ${resource}`}`).join(', and ');
}

const FAILED_CALL = Symbol('replicate-setup.failed-call');

function tagFailure(error: unknown, operation: Operation, request: object, place: CallPlace): void {
  if (!error || typeof error !== 'object') return;
  const failed: FailedCall = {
    operation: operation.id,
    grants: operation.grants.map((grant) => ({ action: grant.action, resource: resourceOf(grant.resource, request, place) })),
  };
  // Configurable: a test may throw the same error object from several calls.
  Object.defineProperty(error, FAILED_CALL, { value: failed, configurable: true, enumerable: false, writable: true });
}

export const failedCallOf = (error: unknown): FailedCall | undefined =>
  error && typeof error === 'object' ? ((error as Record<symbol, FailedCall | undefined>)[FAILED_CALL] ?? undefined) : undefined;
