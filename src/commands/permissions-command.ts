import { credentialsPhrase } from '../input/credentials.js';
import { scopesFor, setupPolicies } from '../permissions/index.js';
import { inputAndClients, rawOptionsFrom } from './common.js';
import { runCommand } from './harness.js';

/**
 * `permissions`: reads both accounts as `plan` does (never writes) and prints, for each profile, the IAM policy the
 * chosen command of this setup needs. sts:GetCallerIdentity needs no permission (IAM cannot deny it), so it is not listed.
 */
export async function runPermissionsCommand(flags: Record<string, unknown>): Promise<number> {
  return runCommand(flags, {}, async ({ output, progress }) => {
    const { input, clients } = await inputAndClients(await rawOptionsFrom(flags));
    const { prepareSetup } = await import('../engine/setup.js');
    // Read as teardown and status read (their scopes are printed too): with the setup's Batch Replication parts, whose
    // existence decides whether those commands list its jobs.
    const prepared = await prepareSetup(input, clients, progress.sink, { batchParts: true });
    progress.stop();
    const scopes = scopesFor(typeof flags.for === 'string' ? flags.for : undefined);
    const policies = setupPolicies(prepared, scopes);
    if (output.json) {
      output.emitJson({ ok: true, policies });
      return 0;
    }
    for (const { side, profile, account, policy } of policies) {
      output.print(`# ${side}: ${credentialsPhrase(profile)} (account ${account}): IAM policy for ${scopes.join(', ')}`);
      output.print(JSON.stringify(policy, null, 2));
      output.print('');
    }
    output.print(
      'Attach each policy to the user or role of its profile. sts:GetCallerIdentity needs no permission and is not listed; ' +
        'the plan decides what is listed, so run this again when the setup changes.',
    );
    return 0;
  });
}
