import { loadProfileCatalog } from '../aws/profiles.js';
import { InputError } from '../errors.js';
import { renderVerifyReport, verifyJson } from '../report/verify-view.js';
import { parseVerifyFlags, type VerifyFlags } from '../verify/options.js';
import { inputAndClients, rawOptionsFrom } from './common.js';
import { runFleetOr } from './fleet.js';
import { fleetVerify } from './fleet-setups.js';

/** `verify`: read both accounts and check them against the desired setup; exit 1 when any check fails. */
export async function runVerifyCommand(flags: Record<string, unknown>): Promise<number> {
  return runFleetOr(flags, {}, fleetVerify, async ({ output, progress }) => {
    const raw = await rawOptionsFrom(flags);
    const { options, problems } = parseVerifyFlags(flags as VerifyFlags, raw, await loadProfileCatalog());
    const { runVerification } = await import('../verify/index.js');
    const { input, clients } = await inputAndClients(raw).catch((error: unknown) => {
      // Every bad flag at once: the setup flags' problems and verify's own.
      throw error instanceof InputError ? new InputError([...error.problems, ...problems], error.code) : error;
    });
    if (problems.length > 0) throw new InputError(problems);
    const report = await runVerification(input, clients, options, progress.sink);
    progress.stop();
    if (output.json) output.emitJson(verifyJson(report));
    else output.print(renderVerifyReport(report, output.color));
    return report.ok ? 0 : 1;
  });
}
