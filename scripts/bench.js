#!/usr/bin/env node
// `npm run bench`: replicate-setup (A) against the AWS CLI doing the same steps (B), on one private moto
// server on this machine, in alternating runs. Prints a table and writes the same as JSON under
// .cache/bench/. Measures only: it never judges a figure by failing.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, type as osType, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findAwsCli } from './bench/aws-cli.js';
import { writeScriptInputs } from './bench/documents.js';
import { fleetRows } from './bench/fleet.js';
import { cleanEnv, describeFailure, measure } from './bench/measure.js';
import { renderReport, seconds } from './bench/report.js';
import { countCalls, sameEndState, sideBySide, verifyRow } from './bench/rows.js';
import { BIN, NODE, ROOT, toolArgs } from './bench/tool.js';

const AWS_CLI_SCRIPT = join(ROOT, 'scripts', 'bench', 'aws-cli-setup.sh');
const RESULTS_DIR = join(ROOT, '.cache', 'bench');
// The walkthrough's two profiles, as src/emulator/accounts.ts writes them.
const PROFILES = { SOURCE_PROFILE: 'xyz', DEST_PROFILE: 'abcd' };

const USAGE = `Usage: npm run bench -- [--runs N] [--warmup N] [--timeout SECONDS]
  --runs N         timed runs of each side per measure (default 5, at most 50)
  --warmup N       untimed runs of each side first (default 1, at most 5)
  --timeout S      a process still running after S seconds is killed and the benchmark stops (default 120)
  --fleet-only     only the fleet rows (1, 10 and 50 setups from one file, and the 100 ms latency row)`;

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string', default: '5' },
        warmup: { type: 'string', default: '1' },
        timeout: { type: 'string', default: '120' },
        help: { type: 'boolean' },
        'fleet-only': { type: 'boolean' },
      },
    }));
  } catch (error) {
    console.error(`bench: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name, min, max) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min || value > max) {
      console.error(`bench: --${name} must be a whole number from ${min} to ${max}\n${USAGE}`);
      process.exit(2);
    }
    return value;
  };
  return { runs: int('runs', 1, 50), warmup: int('warmup', 0, 5), timeoutMs: int('timeout', 5, 600) * 1000, fleetOnly: !!values['fleet-only'] };
}

const progress = (message) => process.stderr.write(`[bench] ${message}\n`);

async function loadEmulator() {
  try {
    const [moto, accounts] = await Promise.all([import('../dist/emulator/moto-server.js'), import('../dist/emulator/accounts.js')]);
    return { ...moto, ...accounts };
  } catch (error) {
    throw new Error(`cannot load dist/emulator (run \`npm run bench\`, which builds first): ${error.message}`);
  }
}

async function main() {
  const settings = options();
  // Runs reset the server: never someone else's shared one.
  delete process.env.MOTO_ENDPOINT;
  const { startMotoServer, setUpTwoAccounts, MOTO_VERSION } = await loadEmulator();
  const awsCli = await findAwsCli(cleanEnv());
  if (!awsCli) {
    progress('No AWS CLI found (tried $AWS_CLI, /usr/bin/aws and `aws` on PATH): the AWS CLI (B) rows are skipped.');
    progress('Install one to compare: `apt-get install -y awscli` (Debian, AWS CLI v2) as root.');
  } else if (awsCli.major !== 2) {
    progress(`Only AWS CLI ${awsCli.version} found at ${awsCli.path}, not v2: B uses it and the table says so.`);
  }

  const tmp = await mkdtemp(join(tmpdir(), 'replicate-setup-bench-'));
  progress('starting moto');
  const server = await startMotoServer();
  try {
    const result = await benchmark({ settings, server, setUpTwoAccounts, awsCli, tmp });
    result.machine.moto = MOTO_VERSION;
    console.log(renderReport(result));
    await mkdir(RESULTS_DIR, { recursive: true });
    const json = `${JSON.stringify(result, null, 2)}\n`;
    const file = join(RESULTS_DIR, `bench-${result.date.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, json);
    await writeFile(join(RESULTS_DIR, 'latest.json'), json);
    console.log(`\nWritten: ${file} (and .cache/bench/latest.json)`);
  } finally {
    await server.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

async function benchmark({ settings, server, setUpTwoAccounts, awsCli, tmp }) {
  const { runs, warmup, timeoutMs } = settings;
  const loadAtStart = Number(loadavg()[0].toFixed(2));
  let round = 0;
  /** Wipes the server and creates both accounts again; returns the environment both sides run with. */
  const freshAccounts = async () => {
    await server.reset();
    const accounts = await setUpTwoAccounts(server.endpoint, join(tmp, `aws-${++round}`));
    return cleanEnv(accounts.env);
  };
  const run = (command, args, env) => measure(command, args, { env, timeoutMs });
  const succeeded = (label, result, ok = (r) => r.exitCode === 0) => {
    if (!ok(result)) throw new Error(describeFailure(label, result));
    return result;
  };
  const toolOk = (r) => {
    try {
      return r.exitCode === 0 && JSON.parse(r.stdout).ok === true;
    } catch {
      return false; // not the one JSON object --json promises
    }
  };

  const rows = [];
  const notes = [];
  if (settings.fleetOnly) {
    const fleet = await fleetRows({ run, freshAccounts, server, tmp, runs, progress });
    rows.push(...fleet.rows);
    notes.push(...fleet.notes);
    return {
      date: new Date().toISOString(),
      machine: machineOf(loadAtStart, awsCli),
      settings: { runs, warmup, timeoutSeconds: timeoutMs / 1000 },
      rows,
      notMeasured: [],
      notes,
    };
  }

  // The documents side B writes: the tool's own plan for the walkthrough, taken once before timing.
  const planned = succeeded('replicate-setup plan', await run(NODE, toolArgs('plan', server.endpoint), await freshAccounts()), toolOk);
  const scriptEnv = { ...(await writeScriptInputs(JSON.parse(planned.stdout), join(tmp, 'documents'))), ...PROFILES, AWS_CLI: awsCli?.path ?? '' };

  const setupA = async (endpoint, env, extra = []) =>
    succeeded(`setup A (replicate-setup wizard${extra.map((flag) => ` ${flag}`).join('')})`, await run(NODE, toolArgs('wizard', endpoint, extra), env), toolOk);
  // The wizard may end by verifying what it set up, which the AWS CLI script does not do: time it without that too.
  const wizardHelp = await run(NODE, [BIN, 'wizard', '--help'], cleanEnv());
  const setupWithoutVerify = wizardHelp.stdout.includes('--no-verify') ? (endpoint, env) => setupA(endpoint, env, ['--no-verify']) : undefined;
  const setupB = async (endpoint, env) =>
    succeeded('setup B (scripts/bench/aws-cli-setup.sh)', await run('bash', [AWS_CLI_SCRIPT], { ...env, ...scriptEnv, ENDPOINT_URL: endpoint }));

  /** warm-up + timed runs, each side in turn (A, then B) every time; `prepare` gives each run its environment. */
  const alternate = async (label, sides, prepare) => {
    const timed = Object.fromEntries(Object.keys(sides).map((side) => [side, []]));
    for (let i = 0; i < warmup + runs; i++) {
      const tag = i < warmup ? `warm-up ${i + 1}/${warmup}` : `run ${i - warmup + 1}/${runs}`;
      for (const side of Object.keys(sides)) {
        const result = await sides[side](await prepare());
        progress(`${label} ${side} ${tag}: ${seconds(result.wallMs)}`);
        if (i >= warmup) timed[side].push(result);
      }
    }
    return timed;
  };

  // Setup of one pair: the wizard as a user runs it, the same without its closing verification, the AWS CLI script.
  const setupSides = {
    A: (env) => setupA(server.endpoint, env),
    ...(setupWithoutVerify ? { 'A --no-verify': (env) => setupWithoutVerify(server.endpoint, env) } : {}),
    ...(awsCli ? { B: (env) => setupB(server.endpoint, env) } : {}),
  };
  const setupTimed = await alternate('setup', setupSides, freshAccounts);
  const setupCalls = {};
  for (const [side, setup] of [
    ['A', setupA],
    ['A --no-verify', setupWithoutVerify],
    ['B', awsCli ? setupB : undefined],
  ]) {
    if (!setup) continue;
    const counted = await countCalls(server, freshAccounts, setup);
    setupCalls[side] = counted.calls;
    notes.push(await sameEndState(side, run, server.endpoint, counted.env));
  }
  const setupOptions = { target: '≥20× faster', goalTimesFaster: 20, awsCli };
  rows.push(sideBySide('setup, one pair (seed walkthrough)', setupTimed, setupCalls, setupOptions));
  if (setupWithoutVerify) {
    const timed = { A: setupTimed['A --no-verify'], B: setupTimed.B ?? [] };
    rows.push(sideBySide('setup, one pair, wizard --no-verify', timed, { A: setupCalls['A --no-verify'], B: setupCalls.B }, setupOptions));
  } else {
    notes.push('the wizard has no --no-verify flag in this build: no row for setup without its closing verification');
  }

  // Start-up: no server involved.
  const startTimed = await alternate(
    'start-up',
    {
      A: async (env) => succeeded('replicate-setup --version', await run(NODE, [BIN, '--version'], env)),
      ...(awsCli ? { B: async (env) => succeeded('aws --version', await run(awsCli.path, ['--version'], env)) } : {}),
    },
    async () => cleanEnv(),
  );
  rows.push(sideBySide('start-up, --version', startTimed, undefined, { target: '≥5× faster', goalTimesFaster: 5, awsCli }));

  const verify = await verifyRow({ alternate, freshAccounts, run, setupA, server });
  rows.push(verify.row);
  notes.push(...verify.notes);
  const fleet = await fleetRows({ run, freshAccounts, server, tmp, runs, progress });
  rows.push(...fleet.rows);
  notes.push(...fleet.notes);

  return {
    date: new Date().toISOString(),
    machine: machineOf(loadAtStart, awsCli),
    settings: { runs, warmup, timeoutSeconds: timeoutMs / 1000 },
    method: {
      time: 'wall time of the whole process, from spawn to exit, measured around the child by scripts/bench/rusage.py',
      memory: 'peak resident set size: getrusage(RUSAGE_CHILDREN).ru_maxrss, i.e. the largest single process (for B, its largest `aws` call)',
      calls:
        'HTTP requests counted by a loopback proxy in front of moto (both sides get it as --endpoint-url), in one extra untimed run per side; ' +
        'sequential = longest chain of calls each starting after the previous ended',
    },
    rows,
    notMeasured: [],
    notes,
  };
}

function machineOf(loadAtStart, awsCli) {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpus: availableParallelism(),
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    os: `${osType()} ${release()}`,
    node: process.versions.node,
    loadAverage: { start: loadAtStart, end: Number(loadavg()[0].toFixed(2)) },
    awsCli: awsCli ? { version: awsCli.version, path: awsCli.path, banner: awsCli.banner } : undefined,
  };
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
