import { applySetup, prepareSetup } from '../engine/setup.js';
import { applyJson } from '../report/json-view.js';
import { createOutput } from '../report/output.js';
import { countActions, renderPlan, renderSteps, summaryLine } from '../report/plan-view.js';
import { progressReporter } from '../report/progress.js';
import { inputAndClients, rawOptionsFrom, reportFailure } from './common.js';

/** `wizard` (alias `apply`): validate, read, plan, apply, report. */
export async function runWizardCommand(flags: Record<string, unknown>): Promise<number> {
  const output = createOutput(!!flags.json);
  const progress = await progressReporter(output);
  try {
    const { input, clients } = await inputAndClients(await rawOptionsFrom(flags));
    const prepared = await prepareSetup(input, clients, progress.sink);
    progress.stop();
    output.print(renderPlan(prepared.plan, input, prepared.accounts, output.color));
    const steps = await applySetup(prepared, clients, progress.sink);
    progress.stop();
    if (output.json) {
      output.emitJson(applyJson(steps, prepared.plan, prepared.accounts));
    } else {
      output.print(renderSteps(steps, output.color));
      output.print(summaryLine(countActions(steps.map((s) => s.action)), 'apply', output.color));
    }
    return 0;
  } catch (error) {
    progress.stop();
    return reportFailure(error, output);
  }
}
