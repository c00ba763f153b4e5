/**
 * Options as they arrive from flags, a config file or the wizard, before validation. Names match the long flags
 * (`sourceProfile` is `--source-profile`), so every problem can name the flag the user typed.
 */
export interface RawOptions {
  sourceProfile?: string;
  sourceRegion?: string;
  sourceBucket?: string;
  destProfile?: string;
  destRegion?: string;
  destBucket?: string;
  roleName?: string;
  authorizedUser?: string[];
  prefix?: string;
  rtc?: boolean;
  deleteMarkerReplication?: boolean;
  encryption?: string;
  sourceKmsKey?: string;
  destKmsKey?: string;
  uploader?: string[];
  storageClass?: string;
  preset?: string;
  endpointUrl?: string;
}

export const DEFAULT_ROLE_NAME = 's3-replication-role';

/** The flag a RawOptions key is typed as. */
export const flagOf = (key: keyof RawOptions): string => {
  const special: Partial<Record<keyof RawOptions, string>> = {
    rtc: '--no-rtc',
    deleteMarkerReplication: '--no-delete-marker-replication',
  };
  return special[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
};

export const REQUIRED_OPTIONS = ['sourceProfile', 'sourceBucket', 'destProfile', 'destBucket'] as const satisfies readonly (keyof RawOptions)[];
