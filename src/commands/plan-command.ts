import { planJson } from '../report/json-view.js';
import { renderPlan } from '../report/plan-view.js';
import { inputAndClients, rawOptionsFrom } from './common.js';
import { runFleetOr } from './fleet.js';
import { fleetPlan } from './fleet-setups.js';

/** `plan`: read, diff, print. Never writes. */
export async function runPlanCommand(flags: Record<string, unknown>): Promise<number> {
  return runFleetOr(flags, {}, fleetPlan, async ({ output, progress }) => {
    const { input, clients } = await inputAndClients(await rawOptionsFrom(flags));
    const { prepareSetup } = await import('../engine/setup.js');
    const prepared = await prepareSetup(input, clients, progress.sink);
    progress.stop();
    if (output.json) output.emitJson(planJson(prepared.plan, prepared.accounts));
    else output.print(renderPlan(prepared.plan, input, prepared.accounts, output.color, true));
    return 0;
  });
}
