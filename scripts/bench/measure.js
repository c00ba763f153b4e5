// Runs one whole process and measures it: wall time and peak memory, through rusage.py (Node cannot read
// a child's resource usage). Also cleans the environment, so that neither side picks up AWS settings of
// the machine: each gets only the two emulator profiles.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const RUSAGE = join(HERE, 'rusage.py');
// moto's venv has a Python for sure (the bench starts moto first), and one that starts without a shim.
const VENV_PYTHON = join(HERE, '..', '..', '.cache', 'moto-venv', 'bin', 'python3');
const python = () => process.env.PYTHON ?? (existsSync(VENV_PYTHON) ? VENV_PYTHON : 'python3');
const KEEP = 2000; // characters of stdout/stderr kept for error messages

/** process.env without any AWS_* variable, plus `extra`. */
export function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return { ...env, AWS_PAGER: '', ...extra };
}

/**
 * Runs `command args` to its end (killed after timeoutMs) and resolves with
 * { exitCode, wallMs, peakRssKiB, timedOut, stdout, stderr }; stdout is kept whole, stderr's tail only.
 */
export function measure(command, args, { env, timeoutMs }) {
  const interpreter = python();
  return new Promise((resolve, reject) => {
    const child = spawn(interpreter, [RUSAGE, String(timeoutMs / 1000), command, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let report = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-KEEP)));
    child.stdio[3].on('data', (chunk) => (report += chunk));
    child.on('error', (error) => reject(new Error(`cannot run ${interpreter} (needed to measure processes): ${error.message}`)));
    child.on('close', (code) => {
      let measured;
      try {
        measured = JSON.parse(report);
      } catch {
        reject(new Error(`${interpreter} ${RUSAGE} failed (exit ${code}): ${stderr}`));
        return;
      }
      resolve({ ...measured, stdout, stderr });
    });
  });
}

/** A short description of a failed run, for the error the benchmark stops with. */
export function describeFailure(label, run) {
  const why = run.timedOut ? 'timed out' : `exit code ${run.exitCode}`;
  const output = `${run.stderr}\n${run.stdout.slice(-KEEP)}`.trim();
  return `${label} failed (${why})${output ? `:\n${output}` : ''}`;
}
