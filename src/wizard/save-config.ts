import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import { problemAt, type RawOptions } from '../input/options.js';

/**
 * Whether `path` can be written, asked before the first question: answers typed for a file that then cannot be written
 * would be lost.
 */
export async function checkSavePath(path: string): Promise<void> {
  const refuse = (why: string): never => {
    throw new InputError([problemAt('saveConfig', `cannot write "${path}": ${why}`)]);
  };
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) refuse('it is a directory; give a file name (such as setup.json or setup.yaml)');
  try {
    await access(existing ? path : dirname(path), constants.W_OK);
  } catch (error) {
    refuse((error as NodeJS.ErrnoException).code === 'ENOENT' ? `its directory ${dirname(path)} does not exist` : 'it is not writable');
  }
}

/**
 * Writes the answers as a file `--config` reads back, so a setup done once by hand can be repeated by a script.
 * RawOptions hold names and settings only: credentials stay in the AWS profile files.
 */
export async function saveConfig(path: string, options: RawOptions): Promise<void> {
  const known = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  try {
    // As --config reads it: YAML for .yaml/.yml, else JSON.
    const text = /\.ya?ml$/i.test(path) ? (await import('yaml')).stringify(known) : `${JSON.stringify(known, null, 2)}\n`;
    await writeFile(path, text);
  } catch (error) {
    throw new InputError([problemAt('saveConfig', `cannot write "${path}": ${(error as Error).message}`)]);
  }
}
