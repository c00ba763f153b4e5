#!/usr/bin/env node
// The main job on a local default: a moto server with two simulated accounts (partner 111111111111 in Singapore,
// company 222222222222 in Sydney), the walkthrough's exact names, set up by the real CLI, then run again to show it
// changes nothing. `npm run demo -- --keep` leaves the emulator running and prints how to point your shell at it.
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setUpTwoAccounts } from '../dist/emulator/accounts.js';
import { startMotoServer } from '../dist/emulator/moto-server.js';
import { seedDemoMetrics } from './demo-metrics.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const cli = join(root, 'bin', 'replicate-setup.js');

const server = await startMotoServer();
const profilesDir = join(root, '.cache', 'demo', `aws-${Date.now()}`);
await mkdir(profilesDir, { recursive: true });
const emulator = await setUpTwoAccounts(server.endpoint, profilesDir);
const env = { ...process.env, ...emulator.env, AWS_ENDPOINT_URL: server.endpoint };
const seedFlags = [
  '--source-profile',
  'xyz',
  '--source-region',
  'ap-southeast-1',
  '--source-bucket',
  'rubes-s3-bucket',
  '--dest-profile',
  'abcd',
  '--dest-region',
  'ap-southeast-2',
  '--dest-bucket',
  'clint-s3-bucket',
  '--role-name',
  's3_replication_role',
  '--authorized-user',
  'tom-cruise',
];

const banner = (text) => process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
const run = (args) => {
  process.stdout.write(`$ replicate-setup ${args.join(' ')}\n`);
  return spawnSync(process.execPath, [cli, ...args], { env, stdio: 'inherit' }).status ?? 1;
};

let failed = false;
try {
  banner(
    `Emulator at ${server.endpoint}: partner account ${emulator.accounts.source} (profile xyz), company account ${emulator.accounts.destination} (profile abcd)`,
  );
  banner('Set up replication, as in the walkthrough');
  failed ||= run(['wizard', '--yes', ...seedFlags]) !== 0;
  banner('Run it again: nothing should change');
  failed ||= run(['wizard', '--yes', ...seedFlags]) !== 0;
  banner('Verify the setup (clint-eastwood must be denied)');
  failed ||= run(['verify', ...seedFlags, '--expect-denied', 'clint-eastwood']) !== 0;
  banner('Alerts: email ops@example.com when replication fails (topic, notification, alarms)');
  failed ||= run(['wizard', '--yes', ...seedFlags, '--alert-email', 'ops@example.com']) !== 0;
  banner("Status: the setup's health now (metrics seeded as S3 would publish them; moto publishes none)");
  await seedDemoMetrics(emulator, 'rubes-s3-bucket', 'clint-s3-bucket');
  failed ||= run(['status', ...seedFlags, '--alert-email', 'ops@example.com', '--sample', '5']) !== 0;
} finally {
  if (keep) {
    process.stdout.write(
      `\nThe emulator keeps running (Ctrl-C to stop it). In another shell:\n` +
        `  export AWS_CONFIG_FILE=${emulator.env.AWS_CONFIG_FILE}\n` +
        `  export AWS_SHARED_CREDENTIALS_FILE=${emulator.env.AWS_SHARED_CREDENTIALS_FILE}\n` +
        `  export AWS_ENDPOINT_URL=${server.endpoint}\n` +
        `  npx replicate-setup wizard\n`,
    );
    // The server is unref'd so tests never hang on it; here the demo itself must stay up until Ctrl-C.
    const alive = setInterval(() => undefined, 1 << 30);
    process.on('SIGINT', () => {
      clearInterval(alive);
      void server.stop().then(() => process.exit(failed ? 1 : 0));
    });
  } else {
    await server.stop();
    process.exitCode = failed ? 1 : 0;
  }
}
