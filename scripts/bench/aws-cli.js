// Finds the AWS CLI side B runs, preferring version 2 (Debian's `awscli` package, /usr/bin/aws) over a v1
// that may come first on PATH (pip's awscli, e.g. behind a pyenv shim). $AWS_CLI overrides the search.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function versionOf(path, env) {
  return new Promise((resolve) => {
    execFile(path, ['--version'], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const match = /aws-cli\/(\d+)\.(\S+)/.exec(`${stdout} ${stderr}`);
      resolve(error || !match ? undefined : { major: Number(match[1]), version: `${match[1]}.${match[2]}`, banner: `${stdout}${stderr}`.trim() });
    });
  });
}

function onPath(name) {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .filter((path) => existsSync(path));
}

/** { path, version, major, banner }, or undefined when no AWS CLI runs here. */
export async function findAwsCli(env) {
  const candidates = process.env.AWS_CLI ? [process.env.AWS_CLI] : [...new Set(['/usr/bin/aws', ...onPath('aws')])];
  const found = [];
  for (const path of candidates) {
    const version = await versionOf(path, env);
    if (version) found.push({ path, ...version });
  }
  return found.find((cli) => cli.major === 2) ?? found[0];
}
