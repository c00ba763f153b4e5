// How the benchmark runs replicate-setup: the built CLI, as a whole process, under the Node running the bench.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'replicate-setup.js');
export const NODE = process.execPath;

// The walkthrough's two accounts and names.
const WALKTHROUGH_FLAGS = [
  '--source-profile',
  'xyz',
  '--source-bucket',
  'rubes-s3-bucket',
  '--dest-profile',
  'abcd',
  '--dest-bucket',
  'clint-s3-bucket',
  '--role-name',
  's3_replication_role',
  '--authorized-user',
  'tom-cruise',
];

/** Arguments for `node` running `replicate-setup <command> [extra]` on the walkthrough against `endpoint`, with --json. */
export const toolArgs = (command, endpoint, extra = []) => [
  BIN,
  command,
  ...(command === 'wizard' ? ['--yes'] : []),
  ...extra,
  ...WALKTHROUGH_FLAGS,
  '--endpoint-url',
  endpoint,
  '--json',
];
