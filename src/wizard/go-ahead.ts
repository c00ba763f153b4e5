// The questions asked once the plan is known: copy the objects already there, and the go-ahead itself.
import type { PromptKit } from './prompt-kit.js';

/** After the preflight counted objects the rule will never copy: copy them once with S3 Batch Replication? */
export async function askReplicateExisting(prompts: PromptKit, bucket: string, objects: string): Promise<boolean> {
  return prompts.select({
    message: `Replicate the ${objects} already in ${bucket} too? (Batch Replication, costs $0.25 a job + $1.00 per million objects, plus the usual replication transfer)`,
    default: true,
    choices: [
      { value: true, name: 'Yes', description: 'one S3 Batch Operations job copies them once the rule is in place; `replicate-setup jobs --wait` watches it' },
      { value: false, name: 'No', description: 'only objects written from now on are replicated' },
    ],
  });
}

/**
 * The go-ahead after the plan: yes by default, but no when the plan removes something (a reader left out of a re-run's
 * answers loses access): Enter alone must not take anything away.
 */
export async function askToApply(prompts: PromptKit, removes = false): Promise<boolean> {
  return prompts.confirm({
    message: removes ? 'Apply these changes, removals included, to both accounts?' : 'Apply these changes to both accounts?',
    default: !removes,
  });
}
