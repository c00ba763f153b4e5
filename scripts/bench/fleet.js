// The fleet rows: 1, 10 and 50 setups from one --config file, and one setup behind a loopback proxy that adds 100 ms
// to every call (a client far from the region). Timed as whole processes like every other row.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callsByService, peakConcurrency, sequentialRoundTrips, startCallRecorder } from './call-recorder.js';
import { seconds, summarize } from './report.js';
import { countCalls } from './rows.js';
import { BIN, NODE } from './tool.js';

export const FLEET_SIZES = [1, 10, 50];
export const LATENCY_MS = 100;
const GOAL_TIMES_ONE = 5;
const SDK_ALONE = join(dirname(fileURLToPath(import.meta.url)), 'sdk-alone.js');
const SDK_ALONE_CALLS = 1000;

/**
 * CPU time (ms) the emulator's process has used so far, every thread: utime + stime of /proc/PID/stat, in USER_HZ
 * ticks, which Linux fixes at 100 per second for what it reports to user space. Undefined off Linux or without a pid.
 */
async function emulatorCpuMs(pid) {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis start with field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

let files = 0;

/** A fleet file of `n` pairs between the walkthrough's two profiles, fresh bucket names each time, one shared role. */
async function fleetFile(dir, n) {
  const tag = `${process.pid}-${++files}`;
  const setups = Array.from({ length: n }, (_, i) => ({ name: `pair-${i}`, sourceBucket: `bench-src-${tag}-${i}`, destBucket: `bench-dst-${tag}-${i}` }));
  const path = join(dir, `fleet-${tag}.json`);
  await writeFile(
    path,
    JSON.stringify({ defaults: { sourceProfile: 'xyz', destProfile: 'abcd', roleName: 's3_replication_role', authorizedUser: ['tom-cruise'] }, setups }),
  );
  return path;
}

/**
 * Rows for 1, 10 and 50 setups (wizard --yes, ending by verifying each), and the latency row; notes on the SDK's own
 * CPU per call and what it leaves of the largest fleet's goal.
 */
export async function fleetRows({ run, freshAccounts, server, tmp, runs, progress }) {
  const rows = [];
  const notes = [];
  const wizard = async (endpoint, env, n, extra = []) => {
    const file = await fleetFile(tmp, n);
    const result = await run(NODE, [BIN, 'wizard', '--yes', ...extra, '--config', file, '--endpoint-url', endpoint, '--json'], env);
    const ok = result.exitCode === 0 && JSON.parse(result.stdout).ok === true;
    if (!ok) throw new Error(`fleet of ${n}: exit ${result.exitCode}: ${result.stderr.slice(-400)}`);
    return result;
  };
  let oneMedian;
  for (const n of FLEET_SIZES) {
    const timed = [];
    // Fifty setups take a while on a 2-core machine: at most three timed runs per size.
    for (let i = 0; i < Math.min(runs, 3); i++) {
      const env = await freshAccounts();
      const emulatorBefore = await emulatorCpuMs(server.pid);
      const result = await wizard(server.endpoint, env, n);
      const emulatorAfter = await emulatorCpuMs(server.pid);
      if (emulatorBefore !== undefined && emulatorAfter !== undefined) result.emulatorCpuMs = emulatorAfter - emulatorBefore;
      progress(`fleet of ${n}, run ${i + 1}: ${(result.wallMs / 1000).toFixed(2)} s`);
      timed.push(result);
    }
    const A = summarize(timed);
    oneMedian ??= A.medianMs;
    const counted = await countCalls(server, freshAccounts, (endpoint, env) => wizard(endpoint, env, n));
    rows.push({
      label: `fleet file of ${n} setup${n === 1 ? '' : 's'} (wizard --yes, each verified)`,
      target: n === 1 ? '' : `≤${GOAL_TIMES_ONE}× one setup: ${(A.medianMs / oneMedian).toFixed(1)}×`,
      A,
      skippedB: 'no AWS CLI counterpart',
      calls: { A: { ...counted.calls, perSetup: Number((counted.calls.total / n).toFixed(1)), sequence: undefined } },
    });
  }
  const largest = rows.at(-1);
  const sdk = await sdkAlone(run, server.endpoint, await freshAccounts());
  largest.sdkAlone = sdk;
  notes.push(sdkFloorNote(sdk, largest, FLEET_SIZES.at(-1), oneMedian));
  // Latency: one setup with its closing verify, every answer held back 100 ms.
  const env = await freshAccounts();
  const recorder = await startCallRecorder(server.endpoint, { delayMs: LATENCY_MS });
  try {
    const result = await wizard(recorder.endpoint, env, 1);
    const calls = recorder.take();
    rows.push({
      label: `one setup, ${LATENCY_MS} ms added to every call`,
      target: '≤8 round trips',
      A: summarize([result]),
      skippedB: 'no AWS CLI counterpart',
      calls: {
        A: {
          total: calls.length,
          reads: calls.filter((call) => !call.write).length,
          writes: calls.filter((call) => call.write).length,
          byService: callsByService(calls),
          sequential: sequentialRoundTrips(calls),
          sequentialWrites: sequentialRoundTrips(calls.filter((call) => call.write)),
          peakConcurrency: peakConcurrency(calls),
          runMs: Math.round(result.wallMs),
          callSpanMs: Math.round(Math.max(...calls.map((c) => c.end)) - Math.min(...calls.map((c) => c.start))),
          sequence: calls.map((call) => `${call.service}:${call.action}`),
        },
      },
    });
  } finally {
    await recorder.stop();
  }
  return { rows, notes };
}

/** The SDK alone (sdk-alone.js) as its own process: CPU and wall time per call. */
async function sdkAlone(run, endpoint, env) {
  const result = await run(NODE, [SDK_ALONE, endpoint, String(SDK_ALONE_CALLS)], env);
  if (result.exitCode !== 0) throw new Error(`sdk-alone.js: exit ${result.exitCode}: ${result.stderr.slice(-400)}`);
  return JSON.parse(result.stdout);
}

/**
 * What the SDK's own work per call leaves of the goal: the largest fleet's calls times the SDK's CPU per call is time
 * on one core (Node runs the SDK on its main thread) that no engine change can take away.
 */
function sdkFloorNote(sdk, row, n, oneMedianMs) {
  const calls = row.calls.A.total;
  const floorMs = calls * sdk.cpuMsPerCall;
  const goalMs = GOAL_TIMES_ONE * oneMedianMs;
  const callsWithinGoal = Math.floor(goalMs / sdk.cpuMsPerCall / n);
  const measured = row.A.cpuMedianMs === undefined ? '' : `; the whole run used ${seconds(row.A.cpuMedianMs)} of the tool's CPU`;
  return (
    `the AWS SDK alone (scripts/bench/sdk-alone.js, no replicate-setup code) costs ${sdk.cpuMsPerCall} ms of CPU per call here ` +
    `(${sdk.calls} reads, ${sdk.inFlight} at once). ${n} setups make ${calls} calls: ${seconds(floorMs)} of one core for the SDK's work alone` +
    `${measured}, against ${GOAL_TIMES_ONE}× one setup = ${seconds(goalMs)}. Within that, with nothing else spent, a setup could make at most ` +
    `${callsWithinGoal} calls; it makes ${row.calls.A.perSetup}.`
  );
}
