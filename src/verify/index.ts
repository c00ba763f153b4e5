import type { AwsClients } from '../aws/clients.js';
import type { EventSink } from '../engine/events.js';
import { type PreparedSetup, prepareSetup } from '../engine/setup.js';
import { InputError } from '../errors.js';
import { flagOf } from '../input/options.js';
import type { SetupInput } from '../input/types.js';
import { ALL_KINDS } from '../kinds/registry.js';
import { documentContext } from '../plan/context.js';
import { replicationRules } from '../plan/replication-rules.js';
import { DEFAULT_POLL_INTERVAL_MS, failedReplicationCause, runCanary } from './canary.js';
import { planVerdictChecks } from './plan-checks.js';
import { prefetchPolicies } from './prefetch.js';
import { probeChecks } from './probes.js';
import { simulateChecks } from './simulate.js';
import { type Check, fail, skip, systemClock, type VerifyContext, type VerifyOptions, type VerifyReport } from './types.js';

export type { Check, CheckStatus, Clock, Probe, VerifyOptions, VerifyReport } from './types.js';

/**
 * Checks the live state against the desired state of the same prepared setup `plan` shows and `apply` writes (the
 * documents come from plan/documents.ts, the drift from the plan itself). Reads only, concurrently; the canary, when
 * asked for, is the one write, and it cleans up after itself.
 */
export async function verifySetup(prepared: PreparedSetup, clients: AwsClients, options: VerifyOptions, events: EventSink): Promise<VerifyReport> {
  events({ type: 'phase', phase: 'verify', message: 'Checking the setup' });
  const vc: VerifyContext = { prepared, documents: documentContext(prepared.input, prepared.accounts, prepared.live), clients, options };
  // Every kind's own checks, in the registry's order, read concurrently with the simulator and the probes.
  const [byKind, simulated, probes] = await Promise.all([Promise.all(ALL_KINDS.map((kind) => kindChecks(kind, vc))), simulateChecks(vc), probeChecks(vc)]);
  const checks = [...byKind.flat(), ...simulated, ...probes];
  if (options.canary) checks.push(...(await canaryChecks(vc, checks, events)));
  return report(prepared.input, checks, prepared.accounts);
}

function kindChecks(kind: (typeof ALL_KINDS)[number], vc: VerifyContext): Check[] | Promise<Check[]> {
  const { verify } = kind;
  if (verify === 'plan-verdict') return planVerdictChecks(vc.prepared.plan.changes.filter((change) => change.kind === kind.kind));
  if ('coveredBy' in verify) return [];
  return verify.checks(vc);
}

async function canaryChecks(vc: VerifyContext, checks: Check[], events: EventSink): Promise<Check[]> {
  const { input, live } = vc.prepared;
  const canary = vc.options.canary!;
  if (live.source.ownership !== 'ours' || live.destination.ownership !== 'ours') return [skip('canary', 'not run: a bucket does not exist')];
  if (!live.source.replication) return [skip('canary', 'not run: the source bucket has no replication configuration')];
  events({ type: 'phase', phase: 'verify', message: `Waiting for the canary to replicate (up to ${canary.timeoutSeconds} s)` });
  const key = vc.documents.kmsKeys?.destination;
  const replicaKey = key && 'arn' in key ? key.arn : undefined;
  const [firstRule] = replicationRules(vc.documents);
  const uploader = input.uploaders[0];
  return runCanary({
    source: { s3: vc.clients.source.s3, bucket: input.source.bucket, profile: input.source.profile },
    destination: { s3: vc.clients.destination.s3, bucket: input.destination.bucket, profile: input.destination.profile },
    // The first rule's prefix: with --uploader each rule has its own, any one proves the path.
    prefix: firstRule?.Filter.Prefix ?? input.prefix,
    ...(uploader ? { putRefusedBecause: `the source bucket policy lets only ${uploader} write there (--uploader)` } : {}),
    isAws: vc.clients.isAws,
    ...(replicaKey ? { replicaKmsKey: replicaKey } : {}),
    timeoutSeconds: canary.timeoutSeconds,
    pollIntervalMs: canary.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    clock: vc.options.clock ?? systemClock,
    likelyCause: () => failedReplicationCause(checks, input.encryption === 'sse-kms'),
  });
}

function report(input: SetupInput, checks: Check[], accounts?: { source: string; destination: string }): VerifyReport {
  return {
    ok: !checks.some((check) => check.status === 'fail'),
    checks,
    source: { bucket: input.source.bucket, region: input.source.region, ...(accounts ? { account: accounts.source } : {}) },
    destination: { bucket: input.destination.bucket, region: input.destination.region, ...(accounts ? { account: accounts.destination } : {}) },
  };
}

/** The checks a problem found while reading live state stands for: a bucket held elsewhere, a missing user. */
const CHECK_OF_FLAG: Record<string, string> = Object.fromEntries(
  (
    [
      ['sourceBucket', 'source.bucket'],
      ['sourceRegion', 'source.bucket'],
      ['destBucket', 'destination.bucket'],
      ['destRegion', 'destination.bucket'],
      ['authorizedUser', 'readers.exist'],
      ['uploader', 'uploaders.exist'],
    ] as const
  ).map(([option, check]) => [flagOf(option), check]),
);

/**
 * prepareSetup + verifySetup, for `verify` and the end of `wizard`. Live states that refuse a plan (a bucket in
 * another region or account, an authorised user that does not exist) are failed checks here, not invalid input;
 * missing credentials stay invalid input (exit 2).
 */
export async function runVerification(input: SetupInput, clients: AwsClients, options: VerifyOptions, events: EventSink): Promise<VerifyReport> {
  let prepared: PreparedSetup;
  const sharedReads = options.sharedReads ?? new Map<string, Promise<unknown>>();
  try {
    const preparing = prepareSetup(input, clients, events);
    prefetchPolicies(
      input,
      clients,
      sharedReads,
      preparing.then(
        (ready) => ready.live,
        () => undefined,
      ),
    );
    prepared = await preparing;
  } catch (error) {
    const problems = error instanceof InputError ? error.problems : [];
    if (!(error instanceof InputError) || problems.some((p) => !(p.flag in CHECK_OF_FLAG))) throw error;
    const checks = problems.map((p) =>
      fail(
        CHECK_OF_FLAG[p.flag]!,
        `${p.flag}: ${p.message}`,
        "Run verify with the flags the setup was made with (the same as wizard's), or `replicate-setup wizard` to set it up.",
      ),
    );
    return report(input, [...checks, skip('other-checks', 'not run: the live state does not match these flags (see above)')]);
  }
  return verifySetup(prepared, clients, { ...options, sharedReads }, events);
}
