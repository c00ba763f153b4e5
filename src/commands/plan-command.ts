import { planJson } from '../report/json-view.js';
import { createOutput } from '../report/output.js';
import { renderPlan } from '../report/plan-view.js';
import { progressReporter } from '../report/progress.js';
import { inputAndClients, rawOptionsFrom, reportFailure } from './common.js';

/** `plan`: read, diff, print. Never writes. */
export async function runPlanCommand(flags: Record<string, unknown>): Promise<number> {
  const output = createOutput(!!flags.json);
  const progress = await progressReporter(output);
  try {
    const { input, clients } = await inputAndClients(await rawOptionsFrom(flags));
    const { prepareSetup } = await import('../engine/setup.js');
    const prepared = await prepareSetup(input, clients, progress.sink);
    progress.stop();
    if (output.json) output.emitJson(planJson(prepared.plan, prepared.accounts));
    else output.print(renderPlan(prepared.plan, input, prepared.accounts, output.color, true));
    return 0;
  } catch (error) {
    progress.stop();
    return reportFailure(error, output);
  }
}
