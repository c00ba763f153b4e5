import { CONFIG_PREFIX_SEPARATOR, loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { ProfileCatalog } from '../input/validate.js';

/**
 * The config file's sections that are not profiles: the SDK keeps `[sso-session NAME]` and `[services NAME]` under
 * `sso-session.NAME` and `services.NAME` beside the profiles.
 */
const NOT_PROFILES = ['sso-session', 'services'].map((type) => `${type}${CONFIG_PREFIX_SEPARATOR}`);

export const isProfileSection = (key: string): boolean => !NOT_PROFILES.some((prefix) => key.startsWith(prefix));

/**
 * The user's AWS profiles as the SDK sees them (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured). Only names
 * and regions are read here; credentials stay inside the SDK's own providers and never pass through our code.
 */
export async function loadProfileCatalog(): Promise<ProfileCatalog> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const names = [...new Set([...Object.keys(configFile).filter(isProfileSection), ...Object.keys(credentialsFile)])].sort();
  return {
    exists: (profile) => names.includes(profile),
    region: (profile) => configFile[profile]?.region ?? credentialsFile[profile]?.region,
    names: () => names,
  };
}
