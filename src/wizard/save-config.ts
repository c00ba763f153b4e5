import { writeFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { problemAt, type RawOptions } from '../input/options.js';

/**
 * Writes the answers as a file `--config` reads back, so a setup done once by hand can be repeated by a script.
 * RawOptions hold names and settings only: credentials stay in the AWS profile files.
 */
export async function saveConfig(path: string, options: RawOptions): Promise<void> {
  const known = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  try {
    await writeFile(path, `${JSON.stringify(known, null, 2)}\n`);
  } catch (error) {
    throw new InputError([problemAt('saveConfig', `cannot write "${path}": ${(error as Error).message}`)]);
  }
}
