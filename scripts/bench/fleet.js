// The fleet rows: 1, 10 and 50 setups from one --config file, and one setup behind a loopback proxy that adds 100 ms
// to every call (a client far from the region). Timed as whole processes like every other row.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { callsByService, peakConcurrency, sequentialRoundTrips, startCallRecorder } from './call-recorder.js';
import { summarize } from './report.js';
import { countCalls } from './rows.js';
import { BIN, NODE } from './tool.js';

export const FLEET_SIZES = [1, 10, 50];
export const LATENCY_MS = 100;

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

/** Rows for 1, 10 and 50 setups (wizard --yes, ending by verifying each), and the latency row. */
export async function fleetRows({ run, freshAccounts, server, tmp, runs, progress }) {
  const rows = [];
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
      const result = await wizard(server.endpoint, await freshAccounts(), n);
      progress(`fleet of ${n}, run ${i + 1}: ${(result.wallMs / 1000).toFixed(2)} s`);
      timed.push(result);
    }
    const A = summarize(timed);
    oneMedian ??= A.medianMs;
    const counted = await countCalls(server, freshAccounts, (endpoint, env) => wizard(endpoint, env, n));
    rows.push({
      label: `fleet file of ${n} setup${n === 1 ? '' : 's'} (wizard --yes, each verified)`,
      target: n === 1 ? '' : `≤5× one setup: ${(A.medianMs / oneMedian).toFixed(1)}×`,
      A,
      skippedB: 'no AWS CLI counterpart',
      calls: { A: { ...counted.calls, perSetup: Number((counted.calls.total / n).toFixed(1)), sequence: undefined } },
    });
  }
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
  return rows;
}
