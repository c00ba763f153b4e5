#!/usr/bin/env node
// `npm run check:package`: what a user gets from npm. Packs the tarball (prepack builds it), installs it into an
// empty project from the registry, and runs `replicate-setup wizard --help` from there on Node 24 and Node 22.
// Fails on a non-zero exit, on anything written to stderr (a warning of ours), and on npm's warning about install
// scripts (a `prepare` script would trigger it). Takes a minute or two (a real install), so it is not in `npm test`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'replicate-setup-package-'));
const failures = [];

const run = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
};

try {
  const pack = run('npm', ['pack', '--pack-destination', work, '--silent'], root);
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  console.log(`packed ${tarball}`);
  const project = join(work, 'project');
  spawnSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), '{ "name": "try-replicate-setup", "private": true }\n');
  const install = run('npm', ['install', '--no-audit', '--no-fund', join(work, tarball)], project);
  if (install.code !== 0) failures.push(`npm install of the tarball failed:\n${install.stderr}`);
  if (/install scripts|lifecycle/i.test(install.stderr)) failures.push(`npm warned about install scripts:\n${install.stderr}`);
  console.log('installed the tarball into an empty project');

  const bin = join(project, 'node_modules', '.bin', 'replicate-setup');
  for (const node of ['24', '22']) {
    const help = run('npx', ['-y', '-p', `node@${node}`, '--', 'node', bin, 'wizard', '--help'], project);
    if (help.code !== 0) failures.push(`Node ${node}: wizard --help exited ${help.code}:\n${help.stderr}`);
    else if (!help.stdout.includes('Usage: replicate-setup wizard')) failures.push(`Node ${node}: wizard --help printed no usage:\n${help.stdout}`);
    // npx itself may print its own notices; what our program writes to stderr is checked after removing npm's lines.
    const ours = help.stderr.split('\n').filter((line) => line.trim() !== '' && !/^npm (warn|notice)/i.test(line));
    if (ours.length > 0) failures.push(`Node ${node}: wizard --help wrote to stderr:\n${ours.join('\n')}`);
    console.log(`Node ${node}: wizard --help ${help.code === 0 ? 'ok' : 'FAILED'}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(failures.join('\n\n'));
  process.exit(1);
}
console.log('The package installs and runs on Node 24 and Node 22 without warnings.');
