/**
 * Where one side's credentials come from. A side without a profile uses the SDK's default chain, the same one the AWS
 * CLI uses: AWS_PROFILE if set (the SDK then ignores key variables), else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
 * else the default profile, SSO, web identity, and container or instance roles.
 */
export function credentialSource(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (profile !== undefined) return `profile ${profile}`;
  if (env.AWS_PROFILE) return `default chain (AWS_PROFILE=${env.AWS_PROFILE})`;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'environment (AWS_ACCESS_KEY_ID)';
  return 'default chain';
}

/** The same inside a sentence: `profile "xyz"`, or `credentials from the environment (AWS_ACCESS_KEY_ID)`. */
export function credentialsPhrase(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return profile !== undefined ? `profile "${profile}"` : `credentials from the ${credentialSource(undefined, env)}`;
}

/** The profile the default chain reads its region (and a role's settings) from: AWS_PROFILE, else `default`. */
export const defaultChainProfile = (env: NodeJS.ProcessEnv = process.env): string => env.AWS_PROFILE || 'default';

/**
 * The command a person runs to fix one source: `--profile xyz` for a named profile, nothing for the default chain
 * (whose AWS_PROFILE the AWS CLI reads as we do).
 */
export const profileArgument = (profile: string | undefined): string => (profile === undefined ? '' : ` --profile ${profile}`);
