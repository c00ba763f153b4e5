// Installs moto and cfn-lint once before any test file starts, so parallel files do not all wait on pip.
import { ensureMotoInstalled } from '../src/emulator/moto-server.js';
import { ensureCfnLint } from './support/cfn-lint.js';

export default async function setup(): Promise<void> {
  await Promise.all([process.env.MOTO_ENDPOINT ? undefined : ensureMotoInstalled(), ensureCfnLint()]);
}
