import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { problemAt } from '../input/options.js';
import { inputAndClients, rawOptionsFrom } from './common.js';
import { runCommand } from './harness.js';

/**
 * `export`: reads both accounts as `plan` does and writes the same setup as Terraform or CloudFormation, from the
 * plan's own documents. Never writes to AWS. Without --out, one file goes to stdout (see src/export/index.ts).
 */
export async function runExportCommand(flags: Record<string, unknown>): Promise<number> {
  return runCommand(flags, {}, async ({ output, progress }) => {
    const { EXPORT_FORMATS, exportSetup } = await import('../export/index.js');
    const format = EXPORT_FORMATS.find((known) => known === flags.format);
    const formatProblems = format ? [] : [problemAt('format', `is required: ${EXPORT_FORMATS.join(' or ')}`)];
    const { input, clients } = await inputAndClients(await rawOptionsFrom(flags)).catch((error: unknown) => {
      throw error instanceof InputError ? new InputError([...error.problems, ...formatProblems], error.code) : error;
    });
    if (!format) throw new InputError(formatProblems);
    const { prepareSetup } = await import('../engine/setup.js');
    const prepared = await prepareSetup(input, clients, progress.sink);
    progress.stop();
    const result = exportSetup(prepared, format);
    const out = typeof flags.out === 'string' ? resolve(flags.out) : undefined;
    if (out) {
      await mkdir(out, { recursive: true }).catch(() => {
        throw new InputError([problemAt('out', `cannot create the directory "${out}"`)]);
      });
      await Promise.all(result.files.map((file) => writeFile(join(out, file.path), file.content)));
    }
    if (output.json) {
      const files = result.files.map((file) => (out ? { path: join(out, file.path) } : file));
      output.emitJson({ ok: true, command: 'export', format, accounts: prepared.accounts, files });
    } else if (out) {
      output.progress(`Wrote ${result.files.map((file) => join(out, file.path)).join(', ')}`);
    } else {
      output.print(result.stdout.replace(/\n$/, ''));
    }
    return 0;
  });
}
