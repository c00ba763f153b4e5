import { InputError, type InputProblem } from '../errors.js';
import { defaultChainProfile } from './credentials.js';
import { DEFAULT_ROLE_NAME, problemAt, type RawOptions, REQUIRED_OPTIONS } from './options.js';
import { regionProblem } from './regions.js';
import {
  bucketNameProblem,
  endpointProblem,
  iamNameProblem,
  isStorageClass,
  KMS_KEY_REF,
  partitionProblem,
  prefixProblem,
  principalProblem,
  profileNameProblem,
  STORAGE_CLASSES,
} from './rules.js';
import type { SetupInput } from './types.js';
import { alertProblems, alertsOf } from './validate-alerts.js';

/** What validation needs to know about the user's AWS profiles; read from the config files by the caller. */
export interface ProfileCatalog {
  exists(profile: string): boolean;
  region(profile: string): string | undefined;
  names(): string[];
}

/**
 * Pure: raw options to a complete SetupInput, or an InputError listing every problem, each naming its flag and what
 * is allowed. Runs before any AWS call, so bad input can never cause a write.
 */
export function validateOptions(raw: RawOptions, profiles: ProfileCatalog, env: NodeJS.ProcessEnv = process.env): SetupInput {
  const problems: InputProblem[] = [];
  const problem = (key: keyof RawOptions, message: string): void => {
    problems.push(problemAt(key, message));
  };

  // Missing values are listed first, with every other problem found in what was given: one run shows them all.
  const missing = REQUIRED_OPTIONS.filter((key) => raw[key] === undefined);
  for (const key of missing) problem(key, 'is required');

  const regions: Partial<Record<'sourceRegion' | 'destRegion', string>> = {};
  for (const [profileKey, regionKey, bucketKey] of [
    ['sourceProfile', 'sourceRegion', 'sourceBucket'],
    ['destProfile', 'destRegion', 'destBucket'],
  ] as const) {
    const profile = raw[profileKey];
    const profileIssue = profile === undefined ? undefined : profileNameProblem(profile);
    if (profileIssue) problem(profileKey, profileIssue);
    else if (profile !== undefined && !profiles.exists(profile)) {
      const known = profiles.names();
      problem(profileKey, `profile "${profile}" is not in your AWS config or credentials file${known.length ? ` (known: ${known.join(', ')})` : ''}`);
    }
    const region = raw[regionKey] ?? defaultRegion(profile, profiles, env);
    if (region === undefined) {
      if (profile === undefined || profiles.exists(profile)) problem(regionKey, `is required: ${noRegionBecause(profile, env)}`);
    } else {
      const issue = regionProblem(region);
      if (issue) problem(regionKey, issue);
      else regions[regionKey] = region;
    }
    const bucket = raw[bucketKey];
    const bucketIssue = bucket === undefined ? undefined : bucketNameProblem(bucket);
    if (bucketIssue) problem(bucketKey, `"${raw[bucketKey]}" is not a valid bucket name: it ${bucketIssue}`);
  }
  if (raw.sourceBucket !== undefined && raw.sourceBucket === raw.destBucket)
    problem('destBucket', 'must differ from --source-bucket (a bucket cannot replicate to itself)');

  const roleName = raw.roleName ?? DEFAULT_ROLE_NAME;
  const roleIssue = roleName.includes('/')
    ? `"${roleName}" has a path: role paths (such as service-role/NAME) are not supported; give the role name alone (${roleName.split('/').pop()}), the role is created at the root path`
    : iamNameProblem(roleName, 'a role name', 64);
  if (roleIssue) problem('roleName', roleIssue);

  const authorizedUsers = raw.authorizedUser ?? [];
  for (const user of authorizedUsers) {
    const issue = principalProblem(user, 'an IAM user name');
    if (issue) problem('authorizedUser', `"${user}": ${issue}`);
  }
  if (new Set(authorizedUsers).size !== authorizedUsers.length) problem('authorizedUser', 'lists the same user twice');

  const uploaders = raw.uploader ?? [];
  for (const uploader of uploaders) {
    const issue = principalProblem(uploader, 'an IAM user or role name');
    if (issue) problem('uploader', `"${uploader}": ${issue}`);
  }
  if (new Set(uploaders).size !== uploaders.length) problem('uploader', 'lists the same uploader twice');
  // Each uploader writes under a prefix of its own name (plan/scope.ts), fenced to it alone: two uploaders of one name
  // (user/admin and role/admin, or a user under two paths) would share one prefix and each fence would lock out the other.
  const byName = new Map<string, string[]>();
  for (const uploader of new Set(uploaders)) {
    const name = uploader.split('/').pop() ?? uploader;
    byName.set(name, [...(byName.get(name) ?? []), uploader]);
  }
  for (const [name, same] of byName) {
    if (same.length > 1)
      problem(
        'uploader',
        `${same.map((u) => `"${u}"`).join(' and ')} would share the prefix ${name}/ (each uploader writes under its own name): give uploaders of different names`,
      );
  }

  const prefix = raw.prefix ?? '';
  const prefixIssue = prefixProblem(prefix);
  if (prefixIssue) problem('prefix', prefixIssue);

  const encryption = raw.encryption ?? 'sse-s3';
  if (encryption !== 'sse-s3' && encryption !== 'sse-kms') problem('encryption', `"${encryption}" is not allowed: use sse-s3 or sse-kms`);
  for (const key of ['sourceKmsKey', 'destKmsKey'] as const) {
    const ref = raw[key];
    if (ref === undefined) continue;
    if (encryption !== 'sse-kms') problem(key, 'needs --encryption sse-kms');
    else if (!KMS_KEY_REF.test(ref)) problem(key, `"${ref}" is not a KMS key ARN, key id or alias (alias/NAME)`);
    else if (partitionProblem(ref)) problem(key, `"${ref}" ${partitionProblem(ref)}`);
  }

  if (raw.storageClass !== undefined && !isStorageClass(raw.storageClass)) {
    problem('storageClass', `"${raw.storageClass}" is not allowed: use one of ${STORAGE_CLASSES.join(', ')}`);
  }
  if (raw.preset !== undefined && raw.preset !== 'log-backup') problem('preset', `"${raw.preset}" is not allowed: the only preset is log-backup`);
  if (raw.preset === 'log-backup' && uploaders.length > 0) {
    problem(
      'uploader',
      'cannot be combined with --preset log-backup: log exports are written by the CloudWatch Logs service, not by an uploader, so an uploader fence would leave nothing to replicate',
    );
  }
  if (raw.endpointUrl !== undefined) {
    const issue = endpointProblem(raw.endpointUrl);
    if (issue) problem('endpointUrl', issue);
  }

  problems.push(...alertProblems(raw, regions.sourceRegion));

  if (problems.length > 0) throw new InputError(problems, missing.length > 0 ? 'MISSING_INPUT' : 'INVALID_INPUT');
  const side = (profile: string | undefined, region: string, bucket: string): SetupInput['source'] => ({
    ...(profile === undefined ? {} : { profile }),
    region,
    bucket,
  });
  return {
    source: side(raw.sourceProfile, regions.sourceRegion!, raw.sourceBucket!),
    destination: side(raw.destProfile, regions.destRegion!, raw.destBucket!),
    roleName,
    authorizedUsers,
    prefix,
    rtc: raw.rtc ?? true,
    deleteMarkerReplication: raw.deleteMarkerReplication ?? true,
    encryption: encryption as SetupInput['encryption'],
    ...(raw.sourceKmsKey ? { sourceKmsKey: raw.sourceKmsKey } : {}),
    ...(raw.destKmsKey ? { destinationKmsKey: raw.destKmsKey } : {}),
    uploaders,
    ...(raw.storageClass && isStorageClass(raw.storageClass) ? { storageClass: raw.storageClass } : {}),
    ...(raw.preset === 'log-backup' ? { preset: 'log-backup' as const } : {}),
    ...(raw.replicateExisting ? { replicateExisting: true as const } : {}),
    ...(raw.endpointUrl ? { endpointUrl: raw.endpointUrl } : {}),
    ...alertsOf(raw),
  };
}

/**
 * A side's region when no region flag gives it: a named profile's own region first (two profiles in two regions must
 * not collapse into one because AWS_REGION is set), then AWS_REGION / AWS_DEFAULT_REGION, then for the default chain
 * the region of the profile it reads (AWS_PROFILE, else default).
 */
export function defaultRegion(profile: string | undefined, profiles: ProfileCatalog, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromProfile = profile !== undefined && profiles.exists(profile) ? profiles.region(profile) : undefined;
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  const chainProfile = defaultChainProfile(env);
  const fromChain = profile === undefined && profiles.exists(chainProfile) ? profiles.region(chainProfile) : undefined;
  return fromProfile ?? fromEnv ?? fromChain;
}

const noRegionBecause = (profile: string | undefined, env: NodeJS.ProcessEnv): string =>
  profile !== undefined
    ? `profile "${profile}" has no region configured (and AWS_REGION is not set)`
    : `neither AWS_REGION, AWS_DEFAULT_REGION nor profile "${defaultChainProfile(env)}" gives a region`;
