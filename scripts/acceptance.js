#!/usr/bin/env node
// The opt-in acceptance suite: the built CLI against two real AWS accounts (or, for its own tests, an emulator via
// --endpoint-url), each case followed by evidence gathered with the SDK, everything removed at the end.
// Without REPLICATE_SETUP_ACC=1 it only says what it would do and exits 2, so a release check that forgot to opt in
// can never look like a pass. Exit codes: 0 no case failed, 1 a case or the clean-up failed, 2 usage, 130 Ctrl-C.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveAccounts, temporaryUser, waitForKeys, writeProfiles } from './acceptance/accounts.js';
import { kmsCase, prefixCase, seedCase, uploadersCase } from './acceptance/cases-core.js';
import { alertsCase, existingObjectsCase, logBackupCase } from './acceptance/cases-more.js';
import { cleanUp, leftovers } from './acceptance/cleanup.js';
import { createContext, Interrupted, ROOT } from './acceptance/context.js';
import { CaseRecord } from './acceptance/evidence.js';
import { parseAcceptanceArgs, USAGE, UsageError, WHAT_IT_DOES } from './acceptance/options.js';
import { renderSummary, summary } from './acceptance/report.js';

const RUNNERS = {
  seed: seedCase,
  kms: kmsCase,
  prefix: prefixCase,
  uploaders: uploadersCase,
  'log-backup': logBackupCase,
  'existing-objects': existingObjectsCase,
  alerts: alertsCase,
};

let options;
try {
  options = parseAcceptanceArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\nUsage: ${USAGE}\n`);
  process.exit(2);
}
if (options.help || process.env.REPLICATE_SETUP_ACC !== '1') {
  process.stdout.write(`${WHAT_IT_DOES}\n`);
  if (!options.help) process.stdout.write('\nREPLICATE_SETUP_ACC is not 1: nothing was run, nothing was created (exit 2).\n');
  process.exit(options.help ? 0 : 2);
}
// The CLI under test is built only once the run is opted in, so the refusal above is immediate. --cli PATH tests
// another build (an installed release) instead.
if (!options.cli && process.env.REPLICATE_SETUP_ACC_NO_BUILD !== '1') {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0 || !existsSync(join(ROOT, 'dist', 'cli.js'))) {
    process.stderr.write('The build (tsc -p tsconfig.build.json) failed: nothing was run.\n');
    process.exit(1);
  }
}

const log = (line) => process.stderr.write(`${line}\n`);
const ctx = createContext(options, log);
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) {
    log(`Second Ctrl-C: quitting now; the clean-up did not finish. Names of this run start with ${ctx.prefix}`);
    process.exit(130);
  }
  interrupted = true;
  log('Ctrl-C: stopping the case under way, then removing everything this run made (Ctrl-C again to quit without it).');
  ctx.abort.abort();
  ctx.child?.kill('SIGINT');
});

const records = [];
let error;
try {
  await resolveAccounts(ctx);
  // The stand-ins for tom-cruise and clint-eastwood, and (for the uploaders case) an uploader in the source account.
  ctx.reader = await temporaryUser(ctx, 'destination', 'reader');
  ctx.other = await temporaryUser(ctx, 'destination', 'other');
  if (options.only.includes('uploaders')) {
    const statement = { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${ctx.prefix}*/*` };
    ctx.uploader = await temporaryUser(ctx, 'source', 'uploader', { Version: '2012-10-17', Statement: [statement] });
  }
  await writeProfiles(ctx);
  await waitForKeys(ctx, ctx.users);
  for (const name of options.only) {
    if (interrupted) break;
    const record = new CaseRecord(name, ctx);
    records.push(record);
    log(`[${name}] started`);
    try {
      await RUNNERS[name](ctx, record);
    } catch (caught) {
      if (caught instanceof Interrupted || interrupted) record.check('the case ran to its end', false, 'no interruption', 'interrupted (Ctrl-C)');
      else record.check('the case ran to its end', false, 'no error', `${caught.name}: ${caught.message}`);
    }
    log(`[${name}] ${record.status}`);
  }
} catch (caught) {
  error = caught instanceof Interrupted ? undefined : `${caught.name}: ${caught.message}`;
  if (error) log(`The run stopped: ${error}`);
}

let cleanupProblems = [];
let leftover = [];
if (options.keep) {
  log(`--keep: leaving everything of run ${ctx.runId}; AWS profiles of the test users are in ${ctx.profilesDir} (secrets, mode 0600). Remove with:`);
  for (const setup of ctx.setups) log(`  npx replicate-setup teardown --yes --delete-buckets --delete-objects --delete-keys ${setup.flags.join(' ')}`);
} else if (ctx.source) {
  cleanupProblems = await cleanUp(ctx).catch((caught) => [`${caught.name}: ${caught.message}`]);
  leftover = await leftovers(ctx).catch((caught) => [`could not list what is left: ${caught.message}`]);
}
const result = summary(ctx, records, { interrupted, cleanupProblems, leftover, error });
process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${renderSummary(result)}\n`);
process.exitCode = interrupted ? 130 : result.ok ? 0 : 1;
