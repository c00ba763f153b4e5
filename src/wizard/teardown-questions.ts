import type { PromptKit } from './prompt-kit.js';

/** The one question before anything is removed; No is the default. */
export const confirmTeardown = (prompts: PromptKit): Promise<boolean> =>
  prompts.confirm({ message: 'Remove these from both accounts? This cannot be undone.', default: false });

/** As the S3 console does: the person types each bucket's name before its objects are deleted for good. */
export async function confirmBucketNames(prompts: PromptKit, buckets: string[]): Promise<boolean> {
  for (const bucket of buckets) {
    const typed = await prompts.input({ message: `Every object version in ${bucket} will be deleted for good. Type the bucket name to confirm:` });
    if (typed.trim() !== bucket) return false;
  }
  return true;
}
