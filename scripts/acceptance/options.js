// The acceptance suite's command line, the text it prints when not opted in, and its cost estimate.
// node:util parseArgs: the standard library's own parser is enough for a dozen flags and adds no dependency.
import { parseArgs } from 'node:util';

/** Every case, in the order they run. `existing-objects` and `alerts` run only when the built CLI has their flags. */
export const CASES = ['seed', 'kms', 'prefix', 'uploaders', 'log-backup', 'existing-objects', 'alerts'];

export class UsageError extends Error {}

/** @returns {{sourceProfile: string, destProfile: string, sourceRegion?: string, destRegion?: string, keep: boolean, only: string[], json: boolean, endpointUrl?: string, cli?: string}} */
export function parseAcceptanceArgs(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'source-profile': { type: 'string' },
        'dest-profile': { type: 'string' },
        'source-region': { type: 'string' },
        'dest-region': { type: 'string' },
        keep: { type: 'boolean', default: false },
        only: { type: 'string' },
        json: { type: 'boolean', default: false },
        'endpoint-url': { type: 'string' },
        cli: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (values.help) return { help: true };
  const problems = [];
  if (!values['source-profile']) problems.push('--source-profile NAME is required (the partner account: owns the source buckets)');
  if (!values['dest-profile']) problems.push('--dest-profile NAME is required (the company account: owns the destination buckets and the test users)');
  const only = values.only ? values.only.split(',').map((name) => name.trim()) : [...CASES];
  const unknown = only.filter((name) => !CASES.includes(name));
  if (unknown.length > 0) problems.push(`--only: unknown case ${unknown.join(', ')}; the cases are ${CASES.join(', ')}`);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return {
    sourceProfile: values['source-profile'],
    destProfile: values['dest-profile'],
    sourceRegion: values['source-region'],
    destRegion: values['dest-region'],
    keep: values.keep,
    only: CASES.filter((name) => only.includes(name)),
    json: values.json,
    endpointUrl: values['endpoint-url'] ?? process.env.AWS_ENDPOINT_URL,
    cli: values.cli,
  };
}

export const USAGE = `REPLICATE_SETUP_ACC=1 npm run test:aws -- --source-profile NAME --dest-profile NAME
    [--source-region R] [--dest-region R] [--only ${CASES.join(',')}] [--keep] [--json] [--endpoint-url URL] [--cli PATH]`;

/** What the suite does and costs: printed when REPLICATE_SETUP_ACC is not 1, and by --help. */
export const WHAT_IT_DOES = `replicate-setup acceptance suite: proves the walkthrough's behaviour on two real AWS accounts.

Usage:
  ${USAGE}

It is opt-in: nothing runs unless REPLICATE_SETUP_ACC=1 is set. With it, each case runs the built CLI
(bin/replicate-setup.js, or --cli PATH) against the two accounts and then checks the result with the AWS SDK:
  seed              setup; an object replicates (latency printed, 15 min limit), owned by the destination account;
                    a temporary reader user lists and reads the source, a temporary other user is denied; a delete
                    marker replicates; verify --canary --probe-profile passes
  kms               --encryption sse-kms: the replica is encrypted with the destination key, the reader opens it
  prefix            only keys under the prefix replicate
  uploaders         an allowed uploader's object replicates; another principal cannot put under that prefix
  log-backup        a CloudWatch Logs export into the source bucket replicates (same region, and other region)
  existing-objects  objects put before the setup replicate via Batch Replication (when this build has it)
  alerts            the replication-failure alarm and its notification exist (when this build has them)

Every name carries a fresh random suffix (rsacc-XXXXXXXX-...). At the end (also after a failure or Ctrl-C, unless
--keep) every setup is removed with \`teardown --yes --delete-buckets --delete-objects --delete-keys\`, and the
temporary IAM users, their access keys and the log group are deleted.

What it costs (a full run, about 20-40 minutes, mostly waiting): a few cents. S3 requests (a few hundred PUT/GET/LIST,
under US$0.01), Replication Time Control on a few KB (US$0.015/GB), cross-region transfer of a few KB, CloudWatch Logs
ingestion and export of a few KB; the kms case creates two customer-managed KMS keys (US$1/month each, prorated
hourly) that teardown schedules for deletion (30-day wait); alerts adds an alarm (US$0.10/month, prorated).
It needs, per profile, what \`replicate-setup permissions --for all\` prints, plus IAM users and access keys (the
temporary test users), s3:PutObject/GetObject/DeleteObject/ListBucket on the test buckets and CloudWatch Logs
log groups and export tasks; see README "Acceptance suite on real AWS".`;

/** US$ prices used for the estimate (ap-southeast, 2025 list prices; rounded up). */
const PRICE = { s3Request: 0.005 / 1000, kmsKeyHour: 1 / 730, kmsRequest: 0.03 / 10_000, alarmHour: 0.1 / 730, otherRequest: 0.01 / 1000 };

/**
 * A rough upper estimate from what the run did: every SDK call priced as an S3 PUT (the dearest request), the CLI's
 * own calls assumed at 60 per run, KMS keys and alarms for the hours they existed (pending-deletion keys are not billed).
 */
export function costEstimate({ sdkCalls, cliRuns, kmsKeys, alarms, hours }) {
  const requests = (sdkCalls + cliRuns * 60) * PRICE.s3Request;
  const keys = kmsKeys * Math.max(1, Math.ceil(hours)) * PRICE.kmsKeyHour;
  const alarmCost = alarms * Math.max(1, Math.ceil(hours)) * PRICE.alarmHour;
  const dollars = requests + keys + alarmCost + 0.01; // + transfer, RTC, logs of a few KB
  return { dollars: Math.round(dollars * 1000) / 1000, basis: `${sdkCalls} suite calls + ${cliRuns} CLI runs, ${kmsKeys} KMS keys, ${alarms} alarms` };
}
