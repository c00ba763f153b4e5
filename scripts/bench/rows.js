// The rows of the benchmark that need more than timing: AWS calls counted, same end state, verify.
import { callsByService, peakConcurrency, sequentialRoundTrips, startCallRecorder } from './call-recorder.js';
import { pairRatios, summarize } from './report.js';
import { NODE, toolArgs } from './tool.js';

/** A row comparing A with B (when the AWS CLI ran). */
export function sideBySide(label, timed, calls, { target, goalTimesFaster, awsCli }) {
  const row = { label, target, goalTimesFaster, A: summarize(timed.A) };
  if (timed.B?.length > 0) {
    row.B = summarize(timed.B);
    row.ratio = pairRatios(timed.A, timed.B);
  } else {
    row.skippedB = awsCli ? 'not run' : 'skipped: no AWS CLI';
  }
  if (calls) row.calls = calls;
  return row;
}

/**
 * One untimed run through the call recorder: how many AWS calls (reads, writes), how many one after another,
 * and how much of the run they span (the rest is process start-up and output).
 */
export async function countCalls(server, prepare, runSide) {
  const env = await prepare();
  const recorder = await startCallRecorder(server.endpoint);
  try {
    const result = await runSide(recorder.endpoint, env);
    const calls = recorder.take();
    const writes = calls.filter((call) => call.write);
    return {
      env,
      calls: {
        total: calls.length,
        reads: calls.length - writes.length,
        writes: writes.length,
        byService: callsByService(calls),
        sequential: sequentialRoundTrips(calls),
        sequentialWrites: sequentialRoundTrips(writes),
        peakConcurrency: peakConcurrency(calls),
        runMs: Math.round(result.wallMs),
        callSpanMs: calls.length > 0 ? Math.round(Math.max(...calls.map((c) => c.end)) - Math.min(...calls.map((c) => c.start))) : 0,
        sequence: calls.map((call) => `${call.service}:${call.action}`),
      },
    };
  } finally {
    await recorder.stop();
  }
}

/** Both sides must leave the same state: after each, the tool's own plan must find nothing left to do. */
export async function sameEndState(side, run, endpoint, env) {
  const plan = await run(NODE, toolArgs('plan', endpoint), env);
  const summary = plan.exitCode === 0 ? JSON.parse(plan.stdout).summary : undefined;
  const left = summary ? summary.create + summary.update + summary.delete : undefined;
  return left === 0
    ? `after side ${side}, \`replicate-setup plan\` finds nothing left to do (same end state)`
    : `after side ${side}, \`replicate-setup plan\` ${summary ? `still plans ${JSON.stringify(summary)}` : `failed (exit ${plan.exitCode})`}: the sides do not reach the same state`;
}

/** verify of the walkthrough's pair, right after a setup; "not available yet" while the tool has no verify command. */
export async function verifyRow({ alternate, freshAccounts, run, setupA, server }) {
  const label = 'verify, one pair';
  const target = '~1 s';
  const setUp = async () => {
    const env = await freshAccounts();
    await setupA(server.endpoint, env);
    return env;
  };
  const verify = (endpoint, env) => run(NODE, toolArgs('verify', endpoint), env);
  const probe = await verify(server.endpoint, await setUp());
  // Usage errors go to stderr, or into the one JSON object on stdout under --json.
  if (/unknown command/i.test(`${probe.stdout}\n${probe.stderr}`)) {
    return { row: { label, target, unavailable: 'not available yet: this build has no `verify` command' }, notes: [] };
  }
  const timed = await alternate('verify', { A: (env) => verify(server.endpoint, env) }, setUp);
  const row = {
    label,
    target,
    A: summarize(timed.A),
    skippedB: 'no AWS CLI counterpart scripted',
    calls: { A: (await countCalls(server, setUp, verify)).calls },
  };
  const notes = probe.exitCode === 0 ? [] : [`verify exited ${probe.exitCode} on the emulator: ${probe.stderr.trim().split('\n').slice(-3).join(' / ')}`];
  return { row, notes };
}
