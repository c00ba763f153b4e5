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

/** The options that describe each side, so code working per side names the right flag. */
export const SIDE_OPTIONS = {
  source: { profile: 'sourceProfile', region: 'sourceRegion', bucket: 'sourceBucket', kmsKey: 'sourceKmsKey' },
  destination: { profile: 'destProfile', region: 'destRegion', bucket: 'destBucket', kmsKey: 'destKmsKey' },
} as const satisfies Record<'source' | 'destination', Record<string, keyof RawOptions>>;

/** The flags of one side, e.g. `sideFlags('destination').bucket` is `--dest-bucket`. */
export const sideFlags = (side: 'source' | 'destination'): Record<keyof (typeof SIDE_OPTIONS)['source'], string> => {
  const keys = SIDE_OPTIONS[side];
  return { profile: flagOf(keys.profile), region: flagOf(keys.region), bucket: flagOf(keys.bucket), kmsKey: flagOf(keys.kmsKey) };
};
