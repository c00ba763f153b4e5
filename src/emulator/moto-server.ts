// Runs a local moto server (an AWS emulator) for the tests, the demo and the benchmark.
// Only node built-ins are used so this works from dist/ without dev dependencies.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureVenvTool } from './python-venv.js';

export const MOTO_VERSION = '5.2.5';
/** The WSGI server moto's app runs in (see MOTO_LAUNCHER). */
const WAITRESS_VERSION = '3.0.2';

export interface MotoServer {
  /** Base URL, e.g. http://127.0.0.1:5123 (give it to SDK clients as `endpoint`). */
  endpoint: string;
  /** Wipes every account's state, including IAM users and their access keys. */
  reset(): Promise<void>;
  /** Stops the server if this process started it; no-op for MOTO_ENDPOINT. */
  stop(): Promise<void>;
  /** The server's process id when this process started it (the benchmark reads its CPU time); none for MOTO_ENDPOINT. */
  pid?: number;
}

const STARTUP_TIMEOUT_MS = 30_000;

export { repoRoot } from './python-venv.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Returns the moto_server binary, creating <repo>/.cache/moto-venv on first use (about a minute). */
export function ensureMotoInstalled(): Promise<string> {
  return ensureVenvTool({
    venv: 'moto-venv',
    requirements: [`moto[server]==${MOTO_VERSION}`, `waitress==${WAITRESS_VERSION}`],
    binary: 'moto_server',
    label: 'moto',
  });
}

/** Asks the OS for a free port. Another process could take it before moto binds it; the caller retries. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function reset(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
}

class MotoExited extends Error {}

// moto's own server (moto.server.main) with these changes, both measured with py-spy during a run of 50 setups:
// - moto 5.2.5's dispatcher lists its own package directory (about 150 isdir calls) on every request, under one lock:
//   70% of moto's CPU. The list cannot change while the server runs, so the launcher computes it once.
// - moto serves its WSGI app with werkzeug's development server, which closes every connection after one answer
//   ("Connection: close": http.server cannot drain a request body before the next request line), so every call paid a
//   new TCP connection and a new thread on both sides: about half of the server's remaining time. waitress, a
//   maintained pure-Python WSGI server, keeps connections alive; the app and its answers are moto's own. (waitress
//   drops header names with an underscore, which moto's handler kept for S3 metadata; the tool sends none.)
// - Three look-ups repeated on every request give the same answer for the server's whole life, so they are memoised:
//   the names of a response class's methods (inspect.getmembers, about 5% of moto's CPU for IAM calls), the backend
//   serving a host name (a scan of every service's URL patterns under the dispatcher's lock, about 4%), and, for
//   every error answer (a 404 is one), the botocore name of the service that raised it (a new botocore Session listing
//   its data directories each time, about 6%).
// Both sides of the benchmark (the tool and the AWS CLI) use this same server.
const MOTO_LAUNCHER = [
  'import logging, os, sys',
  'import moto.backends as backends',
  'modules = tuple(backends.list_of_moto_modules())',
  'backends.list_of_moto_modules = lambda: modules',
  'import waitress',
  'from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app',
  'host, port = sys.argv[1], int(sys.argv[2])',
  // moto builds some URLs (queue URLs, presigned URLs) from MOTO_PORT, as its own main sets it.
  'os.environ.setdefault("MOTO_PORT", str(port))',
  'logging.getLogger("waitress.queue").setLevel(logging.ERROR)',
  'app = DomainDispatcherApplication(create_backend_app)',
  'import functools, moto.core.responses as responses',
  'responses.method_names_from_class = functools.cache(responses.method_names_from_class)',
  'app.get_backend_for_host = functools.cache(app.get_backend_for_host)',
  'import moto.core.utils as moto_utils',
  'moto_utils.service_name_from_moto_package_name = functools.cache(moto_utils.service_name_from_moto_package_name)',
  // A fleet keeps many connections open at once (each SDK client has its own pool): no limit the tests could reach.
  'waitress.serve(app, host=host, port=port, threads=8, connection_limit=4096, asyncore_use_poll=True, channel_timeout=600)',
].join('\n');

/** Spawns moto on `port` and resolves once it answers HTTP. */
async function spawnMoto(binary: string, port: number): Promise<{ child: ChildProcess; endpoint: string }> {
  const endpoint = `http://127.0.0.1:${port}`;
  // MOTO_ACCOUNT_ID would pin every request to one account and defeat the two-account setup.
  const env = { ...process.env };
  delete env.MOTO_ACCOUNT_ID;
  // moto logs every request (and whole tracebacks for calls it does not implement). Its output goes to a file, not a
  // pipe: a pipe fills up whenever our event loop is busy or blocked (spawnSync of the CLI), and then moto freezes.
  const logFile = join(tmpdir(), `moto-${port}-${process.pid}.log`);
  const logFd = openSync(logFile, 'w');
  const python = join(dirname(binary), 'python3');
  const child = spawn(python, ['-c', MOTO_LAUNCHER, '127.0.0.1', String(port)], { env, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.once('exit', () => rmSync(logFile, { force: true }));
  const tailOfLog = (): string => {
    try {
      return readFileSync(logFile, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  };

  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = signal ?? `exit code ${code}`;
  });
  child.on('error', (error) => {
    exited = error.message;
  });

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) throw new MotoExited(`moto_server stopped during startup (${exited}):\n${tailOfLog()}`);
    try {
      await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      break; // any HTTP answer means it is serving
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`moto_server did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000}s:\n${tailOfLog()}`);
      }
      await sleep(100);
    }
  }
  return { child, endpoint };
}

/** Starts a private moto server, or uses the one at MOTO_ENDPOINT when that is set. */
export async function startMotoServer(): Promise<MotoServer> {
  const shared = process.env.MOTO_ENDPOINT;
  if (shared) {
    const endpoint = shared.replace(/\/+$/, '');
    return { endpoint, reset: () => reset(endpoint), stop: async () => {} };
  }

  const binary = await ensureMotoInstalled();
  let started: { child: ChildProcess; endpoint: string } | undefined;
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await spawnMoto(binary, await freePort());
    } catch (error) {
      // Most likely the port was taken between freePort() and moto binding it.
      if (!(error instanceof MotoExited) || attempt >= 3) throw error;
    }
  }
  const { child, endpoint } = started;

  // Never leave an orphan server behind, even if the caller forgets stop() or exits early.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  // Do not keep the caller's event loop alive just because moto is running.
  child.unref();

  return {
    endpoint,
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    reset: () => reset(endpoint),
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
