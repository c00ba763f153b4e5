// Installs moto once before any test file starts, so parallel files do not all wait on pip.
import { ensureMotoInstalled } from '../src/emulator/moto-server.js';

export default async function setup(): Promise<void> {
  if (!process.env.MOTO_ENDPOINT) await ensureMotoInstalled();
}
