// One acceptance run's shared state: its unique names, the SDK clients of each account (every call counted), the
// built CLI as a child process, and an interrupt that stops every wait at once. The suite talks to AWS with the SDK
// directly, not through the tool's catalogue: its evidence must not depend on the code it is checking.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NAME_PREFIX = 'rsacc-';

export class Interrupted extends Error {
  constructor() {
    super('interrupted (Ctrl-C)');
  }
}

/** Counts every SDK call the suite makes, by service and operation. */
export class CallCounter {
  total = 0;
  byService = {};
  middleware() {
    return (next, context) => (args) => {
      this.total++;
      const service = (context.clientName ?? 'aws').replace(/Client$/, '');
      this.byService[service] = (this.byService[service] ?? 0) + 1;
      return next(args);
    };
  }
}

export function createContext(options, log) {
  const runId = randomBytes(4).toString('hex');
  const endpoint = options.endpointUrl;
  const ctx = {
    options,
    log,
    runId,
    prefix: `${NAME_PREFIX}${runId}-`,
    endpoint,
    isAws: !endpoint,
    calls: new CallCounter(),
    cliRuns: [],
    setups: [],
    cleanups: [],
    kmsKeys: 0,
    alarms: 0,
    startedAt: Date.now(),
    abort: new AbortController(),
    child: undefined,
    cliEnv: { ...process.env, NO_COLOR: '1' },
    /** A name unique to this run, within `max` characters. */
    name: (part, max = 63) => `${NAME_PREFIX}${runId}-${part}`.slice(0, max).replace(/-+$/, ''),
    /** SDK clients acting as `profile` (or explicit credentials) in `region`. */
    clients(who, region) {
      const base = { region, maxAttempts: 3, ...(endpoint ? { endpoint } : {}), ...who };
      const make = (Client, extra = {}) => {
        const client = new Client({ ...base, ...extra });
        client.middlewareStack.add(ctx.calls.middleware(), { step: 'initialize', name: 'acceptanceCallCounter' });
        return client;
      };
      return {
        s3: make(S3Client, endpoint ? { forcePathStyle: true } : {}),
        iam: make(IAMClient, { region: 'us-east-1' }),
        sts: make(STSClient),
        kms: make(KMSClient),
        logs: make(CloudWatchLogsClient),
        cloudwatch: make(CloudWatchClient),
        sns: make(SNSClient),
      };
    },
  };
  return ctx;
}

/** Waits `ms`, or throws Interrupted at once on Ctrl-C. */
export function sleep(ctx, ms) {
  return new Promise((resolve, reject) => {
    if (ctx.abort.signal.aborted) return reject(new Interrupted());
    const timer = setTimeout(resolve, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Interrupted());
    };
    ctx.abort.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Calls `probe` every `everyMs` until it returns a value other than undefined, or `limitMs` passes (then undefined). */
export async function pollUntil(ctx, probe, { limitMs, everyMs = 5_000 }) {
  const started = Date.now();
  for (;;) {
    if (ctx.abort.signal.aborted) throw new Interrupted();
    const value = await probe();
    if (value !== undefined) return { value, seconds: (Date.now() - started) / 1000 };
    if (Date.now() - started + everyMs > limitMs) return { value: undefined, seconds: (Date.now() - started) / 1000 };
    await sleep(ctx, everyMs);
  }
}

/**
 * Runs the built CLI with `args` (+ --json, + --endpoint-url) and returns its exit code and parsed JSON. The child is
 * in its own process group, so a Ctrl-C at the terminal reaches only the suite, which forwards exactly one SIGINT to
 * a setup under way (two would make the CLI quit at once) and never interrupts a teardown.
 */
export function runCli(ctx, label, args, { interruptible = true } = {}) {
  const cli = ctx.options.cli ?? join(ROOT, 'bin', 'replicate-setup.js');
  const full = [...args, '--json', ...(ctx.endpoint ? ['--endpoint-url', ctx.endpoint] : [])];
  ctx.log(`[${label}] $ replicate-setup ${full.join(' ')}`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...full], { cwd: ROOT, env: ctx.cliEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (interruptible) ctx.child = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (ctx.child === child) ctx.child = undefined;
      let json;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      ctx.cliRuns.push({ command: args[0], label, code, seconds: (Date.now() - started) / 1000 });
      resolve({ code, json, stdout, stderr });
    });
  });
}

/** The output of `replicate-setup [command] --help`, to find what this build supports. */
export async function helpText(ctx, command) {
  const cli = ctx.options.cli ?? join(ROOT, 'bin', 'replicate-setup.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...(command ? [command] : []), '--help'], { cwd: ROOT, env: ctx.cliEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    child.on('close', () => resolve(text));
    child.on('error', () => resolve(''));
  });
}

/** The error's name for an AWS refusal (AccessDenied, …), or undefined when the call succeeded. */
export async function refusal(promise) {
  try {
    const answer = await promise;
    // An allowed GetObject's body is never read: let its connection go, or the kept-alive socket holds the process open.
    answer?.Body?.destroy?.();
    return undefined;
  } catch (error) {
    // An error S3 sends without a code (a bare 403) reaches the SDK as "Unknown": name its HTTP status instead.
    const name = error?.name ?? String(error);
    return name === 'Unknown' && error.$metadata?.httpStatusCode ? `HTTP ${error.$metadata.httpStatusCode} without an error code` : name;
  }
}
